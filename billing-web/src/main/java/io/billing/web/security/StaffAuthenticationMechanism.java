package io.billing.web.security;

import io.billing.staff.StaffAccount;
import io.billing.staff.StaffAccounts;
import io.billing.staff.StaffLogins;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One way in for staff, two shapes. The admin's pages log in through the login form (the login page authenticates
 * through {@code SecurityContext.authenticate}); the login gets a new session id, and the session then carries it.
 * The operator API takes HTTP Basic on each request, and only there: a Basic header anywhere else is ignored, so it
 * costs no password check. The operator API also takes the admin's session, but a change through it
 * ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) must then be JSON or carry the session's
 * {@code X-CSRF-Token}, which a form of another site can send neither of.
 *
 * <p>Every request of a session compares the credential version the session logged in with to the account's
 * (one read by primary key): a changed password or a disabled account ends its sessions on every node. A password
 * someone else chose must be changed first: the pages lead to the password page, the API answers 403.
 *
 * <p>Password checks go through {@link StaffLogins}, behind its throttle. An unauthenticated request for a page is
 * sent to the login page; one for the API gets 401 with a Basic challenge. Refusals are answered by the service's
 * error page ({@link Refusals}).
 */
@ApplicationScoped
@DeclareRoles({StaffAccount.ADMIN, StaffAccount.SUPPORT})
public class StaffAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(StaffAuthenticationMechanism.class.getName());

    public static final String LOGIN_PAGE = "/login.xhtml";
    public static final String PASSWORD_PAGE = "/admin/password.xhtml";
    /** Request attribute: why the login form's attempt was refused, for the login page to show. */
    public static final String LOGIN_MESSAGE = "io.billing.login.message";
    /** Session attribute: the token a script sends as {@value #CSRF_HEADER} with a change through the session. */
    public static final String CSRF_TOKEN = "io.billing.csrf-token";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    static final String WRONG = "Wrong user name or password.";
    private static final String REALM = "Basic realm=\"billing-admin\"";
    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    StaffLogins logins;

    @Inject
    StaffAccounts accounts;

    @Inject
    ClientAddress clients;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String path = path(request);
        Credential submitted = context.getAuthParameters().getCredential();
        if (submitted instanceof UsernamePasswordCredential form) {
            return formLogin(form, request, response, context);
        }
        String authorization = request.getHeader("Authorization");
        if (path.startsWith("/api/admin/") && authorization != null
                && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basic(authorization.substring(6).trim(), request, response, context);
        }
        HttpSession session = request.getSession(false);
        Object staff = session == null ? null : session.getAttribute(StaffSession.ATTRIBUTE);
        if (staff instanceof StaffSession logged && context.isProtected()) {
            return fromSession(logged, session, path, request, response, context);
        }
        if (!context.isProtected()) {
            return context.doNothing();
        }
        return unauthenticated(path, request, response, context);
    }

    private AuthenticationStatus formLogin(UsernamePasswordCredential form, HttpServletRequest request,
                                           HttpServletResponse response, HttpMessageContext context) {
        StaffLogins.Outcome outcome;
        try {
            outcome = logins.logIn(form.getCaller(), form.getPasswordAsString(), clients.of(request));
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "staff login impossible: the database did not answer", e);
            request.setAttribute(LOGIN_MESSAGE, "The login cannot be checked now: try again shortly.");
            return AuthenticationStatus.SEND_FAILURE;
        }
        if (outcome instanceof StaffLogins.LoggedIn in) {
            HttpSession session = renewedSession(request, response);
            StaffSession staff = new StaffSession(in.username(), in.role(), in.credentialVersion());
            session.setAttribute(StaffSession.ATTRIBUTE, staff);
            session.setAttribute(CSRF_TOKEN, token());
            return context.notifyContainerAboutLogin(staff.username(), staff.groups());
        }
        request.setAttribute(LOGIN_MESSAGE, outcome instanceof StaffLogins.Throttled early ? tooMany(early) : WRONG);
        return AuthenticationStatus.SEND_FAILURE;
    }

    private AuthenticationStatus basic(String encoded, HttpServletRequest request, HttpServletResponse response,
                                       HttpMessageContext context) {
        Optional<UsernamePasswordCredential> credential = decode(encoded);
        StaffLogins.Outcome outcome = new StaffLogins.Refused();
        if (credential.isPresent()) {
            try {
                outcome = logins.logIn(credential.get().getCaller(), credential.get().getPasswordAsString(),
                        clients.of(request));
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "staff login impossible: the database did not answer", e);
                return refuse(request, response, 503, "login_unavailable",
                        "The login cannot be checked now: try again shortly.");
            }
        }
        if (outcome instanceof StaffLogins.LoggedIn in) {
            if (in.mustChangePassword()) {
                return passwordChangeRequired(request, response);
            }
            return context.notifyContainerAboutLogin(in.username(), new StaffSession(in.username(), in.role(),
                    in.credentialVersion()).groups());
        }
        if (outcome instanceof StaffLogins.Throttled early) {
            response.setHeader("Retry-After", Long.toString(seconds(early.retryAfter())));
            return refuse(request, response, 429, "too_many_failed_logins", tooMany(early));
        }
        response.setHeader("WWW-Authenticate", REALM);
        return refuse(request, response, 401, "unauthorized", WRONG);
    }

    private AuthenticationStatus fromSession(StaffSession staff, HttpSession session, String path,
                                             HttpServletRequest request, HttpServletResponse response,
                                             HttpMessageContext context) {
        Optional<StaffAccounts.Credentials> now;
        try {
            now = accounts.credentials(staff.username());
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "staff session not checked: the database did not answer", e);
            return refuse(request, response, 503, "login_unavailable",
                    "The login cannot be checked now: try again shortly.");
        }
        if (now.isEmpty() || !now.get().enabled() || now.get().credentialVersion() != staff.credentialVersion()) {
            session.invalidate(); // its password changed or the account was disabled: log in again, if still allowed
            return unauthenticated(path, request, response, context);
        }
        if (now.get().mustChangePassword() && !path.equals(PASSWORD_PAGE)) {
            if (path.startsWith("/api/")) {
                return passwordChangeRequired(request, response);
            }
            return context.redirect(request.getContextPath() + PASSWORD_PAGE);
        }
        if (path.startsWith("/api/") && CHANGES.contains(request.getMethod().toUpperCase(Locale.ROOT))
                && !isJson(request.getContentType()) && !carriesToken(session, request.getHeader(CSRF_HEADER))) {
            return refuse(request, response, 403, "csrf_check_failed", "A change through the admin's session must"
                    + " be sent as application/json or with the session's " + CSRF_HEADER + " header.");
        }
        request.setAttribute(ClientAddress.ATTRIBUTE, clients.of(request));
        return context.notifyContainerAboutLogin(staff.username(), staff.groups());
    }

    private AuthenticationStatus unauthenticated(String path, HttpServletRequest request, HttpServletResponse response,
                                                 HttpMessageContext context) {
        if (path.startsWith("/api/")) {
            response.setHeader("WWW-Authenticate", REALM);
            return refuse(request, response, 401, "unauthorized", "Log in with a staff account: HTTP Basic, or the"
                    + " admin's session.");
        }
        String asked = request.getRequestURI().substring(request.getContextPath().length());
        String next = request.getQueryString() == null ? asked : asked + "?" + request.getQueryString();
        return context.redirect(request.getContextPath() + LOGIN_PAGE + "?next="
                + URLEncoder.encode(next, StandardCharsets.UTF_8));
    }

    private static AuthenticationStatus passwordChangeRequired(HttpServletRequest request,
                                                               HttpServletResponse response) {
        return refuse(request, response, 403, "password_change_required", "This account's password was set by"
                + " someone else: log in to the admin and choose your own first.");
    }

    private static AuthenticationStatus refuse(HttpServletRequest request, HttpServletResponse response, int status,
                                               String code, String message) {
        Refusals.refuse(request, response, status, code, message);
        return AuthenticationStatus.SEND_FAILURE;
    }

    /**
     * A login gets a new session id (an id planted before the login is worth nothing after it), in a session that
     * keeps what the page had in it.
     */
    private static HttpSession renewedSession(HttpServletRequest request, HttpServletResponse response) {
        if (request.getSession(false) == null) {
            request.getSession(true);
        } else {
            request.changeSessionId();
        }
        SameSiteSessionCookie.complete(response);
        return request.getSession(false);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    private static boolean carriesToken(HttpSession session, String sent) {
        Object token = session.getAttribute(CSRF_TOKEN);
        return sent != null && token instanceof String expected
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }

    private static String tooMany(StaffLogins.Throttled early) {
        return "Too many failed logins for this user name or from this address: try again in "
                + seconds(early.retryAfter()) + " s.";
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    private static String token() {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** The path the container matched (decoded and normalised), which the decisions here must agree with. */
    private static String path(HttpServletRequest request) {
        return request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    }

    static Optional<UsernamePasswordCredential> decode(String encoded) {
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new UsernamePasswordCredential(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
