package io.billing.web.webhook;

import io.billing.web.security.StaffAuthenticationMechanism;
import jakarta.security.auth.message.AuthException;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.security.auth.message.config.AuthConfigProvider;
import jakarta.security.auth.message.config.ClientAuthConfig;
import jakarta.security.auth.message.config.ServerAuthConfig;
import jakarta.security.auth.message.config.ServerAuthContext;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServletRequest;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;
import java.io.IOException;
import java.security.Principal;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Keeps staff authentication off the paths that never have a caller: Stripe's webhook deliveries.
 *
 * <p>Jakarta Security runs the staff mechanism ({@link StaffAuthenticationMechanism}) through a Jakarta
 * Authentication module on every request of the application, protected or not, and that bridge looks the mechanism
 * up through CDI and JNDI twice per request (once to validate, once to secure the answer). Profiled under Stripe's
 * volume it took about a fifth of the webhook threads' CPU for a request that can only ever answer "no caller".
 * This listener wraps the provider Jakarta Security registered for the application: on an open path it reports an
 * unauthenticated caller at once, as the staff mechanism itself would ({@code doNothing}); every other request goes
 * to the staff mechanism unchanged. The webhook authenticates its sender by the signature, not by a caller.
 *
 * <p>It runs after the container's initializers have registered Jakarta Security's provider (listeners start after
 * them); without one (no mechanism) it leaves things alone.
 */
@WebListener
public class WebhookOutsideStaffAuthentication implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(WebhookOutsideStaffAuthentication.class.getName());
    private static final String LAYER = "HttpServlet";

    /** Request paths (within the application) whose requests never carry a staff caller. */
    static final Set<String> OPEN_PATHS = Set.of(StripeWebhookServlet.PATH);

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        String appContext = context.getVirtualServerName() + " " + context.getContextPath();
        AuthConfigFactory factory = AuthConfigFactory.getFactory();
        AuthConfigProvider staff = factory.getConfigProvider(LAYER, appContext, null);
        if (staff == null || staff instanceof Provider) {
            return;
        }
        factory.registerConfigProvider(new Provider(staff), LAYER, appContext,
                "staff authentication, skipped on paths without a caller");
        LOG.fine(() -> "staff authentication skipped on " + OPEN_PATHS);
    }

    static boolean isOpen(MessageInfo message) {
        if (message.getRequestMessage() instanceof HttpServletRequest request) {
            String uri = request.getRequestURI();
            String path = uri.substring(Math.min(request.getContextPath().length(), uri.length()));
            return OPEN_PATHS.contains(path);
        }
        return false;
    }

    /** Jakarta Security's provider, with every context it hands out wrapped. */
    record Provider(AuthConfigProvider staff) implements AuthConfigProvider {

        @Override
        public ClientAuthConfig getClientAuthConfig(String layer, String appContext, CallbackHandler handler)
                throws AuthException {
            return staff.getClientAuthConfig(layer, appContext, handler);
        }

        @Override
        public ServerAuthConfig getServerAuthConfig(String layer, String appContext, CallbackHandler handler)
                throws AuthException {
            return new Config(staff.getServerAuthConfig(layer, appContext, handler), handler);
        }

        @Override
        public void refresh() {
            staff.refresh();
        }
    }

    record Config(ServerAuthConfig staff, CallbackHandler handler) implements ServerAuthConfig {

        @Override
        public ServerAuthContext getAuthContext(String authContextId, Subject serviceSubject,
                                                @SuppressWarnings("rawtypes") Map properties) throws AuthException {
            return new Context(staff.getAuthContext(authContextId, serviceSubject, properties), handler);
        }

        @Override
        public String getMessageLayer() {
            return staff.getMessageLayer();
        }

        @Override
        public String getAppContext() {
            return staff.getAppContext();
        }

        @Override
        public String getAuthContextID(MessageInfo message) {
            return staff.getAuthContextID(message);
        }

        @Override
        public void refresh() {
            staff.refresh();
        }

        @Override
        public boolean isProtected() {
            return staff.isProtected();
        }
    }

    record Context(ServerAuthContext staff, CallbackHandler handler) implements ServerAuthContext {

        @Override
        public AuthStatus validateRequest(MessageInfo message, Subject client, Subject service) throws AuthException {
            if (!isOpen(message)) {
                return staff.validateRequest(message, client, service);
            }
            // No caller: the container is told so, as Jakarta Authentication asks of a module that lets a request
            // through unauthenticated.
            try {
                handler.handle(new Callback[] {new CallerPrincipalCallback(client, (Principal) null)});
            } catch (IOException | UnsupportedCallbackException e) {
                throw (AuthException) new AuthException("no caller could be set").initCause(e);
            }
            return AuthStatus.SUCCESS;
        }

        @Override
        public AuthStatus secureResponse(MessageInfo message, Subject service) throws AuthException {
            return isOpen(message) ? AuthStatus.SEND_SUCCESS : staff.secureResponse(message, service);
        }

        @Override
        public void cleanSubject(MessageInfo message, Subject subject) throws AuthException {
            staff.cleanSubject(message, subject);
        }
    }
}
