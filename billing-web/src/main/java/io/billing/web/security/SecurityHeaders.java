package io.billing.web.security;

import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The browser's protections on every answer of the service, pages, APIs, the webhook and the error pages alike: a
 * Content-Security-Policy that lets no other site frame a page ({@code frame-ancestors 'none'}) and, for the admin,
 * lets pages load only the service's own scripts, styles and images; {@code nosniff}; no referrer to other sites;
 * and, over TLS, Strict-Transport-Security.
 *
 * <p>Pages get a policy that allows inline scripts ({@code 'unsafe-inline'}) but no script from anywhere else, no
 * plugins and no form posting to another site. On the admin's Faces pages PrimeFaces adds a second policy,
 * {@code script-src 'self' 'nonce-…'} (its {@code primefaces.CSP} mode, which writes every inline script with the
 * request's nonce); a browser enforces both, so there only the service's files and PrimeFaces' own scripts run.
 * JSON answers get a policy that allows nothing at all.
 */
@WebFilter(urlPatterns = "/*", dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.FORWARD,
        DispatcherType.ERROR, DispatcherType.ASYNC})
public class SecurityHeaders extends HttpFilter {

    private static final long serialVersionUID = 1L;

    static final String PAGE_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'"
            + " 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none';"
            + " base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    static final String API_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final String TRANSPORT_SECURITY = "max-age=31536000";

    @Inject
    transient ClientAddress clients;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI); // an error page answers for it
        String path = failed instanceof String uri ? uri.substring(Math.min(request.getContextPath().length(),
                uri.length())) : request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        response.setHeader("Content-Security-Policy", path.startsWith("/api/") ? API_POLICY : PAGE_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "same-origin");
        if (clients.overTls(request)) {
            response.setHeader("Strict-Transport-Security", TRANSPORT_SECURITY);
        }
        chain.doFilter(request, response);
    }
}
