package io.billing.web.webhook;

import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.config.ServerAuthContext;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The webhook's deliveries skip the staff mechanism; every other request still goes to it. */
class WebhookOutsideStaffAuthenticationTest {

    private final List<String> staffCalls = new ArrayList<>();
    private final List<Callback> told = new ArrayList<>();

    private final ServerAuthContext staff = new ServerAuthContext() {
        @Override
        public AuthStatus validateRequest(MessageInfo message, Subject client, Subject service) {
            staffCalls.add("validate " + uri(message));
            return AuthStatus.SEND_CONTINUE;
        }

        @Override
        public AuthStatus secureResponse(MessageInfo message, Subject service) {
            staffCalls.add("secure " + uri(message));
            return AuthStatus.SEND_SUCCESS;
        }

        @Override
        public void cleanSubject(MessageInfo message, Subject subject) {
            staffCalls.add("clean " + uri(message));
        }
    };

    private final WebhookOutsideStaffAuthentication.Context context =
            new WebhookOutsideStaffAuthentication.Context(staff, callbacks -> told.addAll(List.of(callbacks)));

    @Test
    void aDeliveryIsLetThroughWithoutACallerAndWithoutTheStaffMechanism() throws Exception {
        Subject client = new Subject();
        MessageInfo delivery = message("/billing", "/billing/api/stripe/webhook");

        assertEquals(AuthStatus.SUCCESS, context.validateRequest(delivery, client, null));
        assertEquals(AuthStatus.SEND_SUCCESS, context.secureResponse(delivery, null));

        assertEquals(List.of(), staffCalls);
        CallerPrincipalCallback caller = assertInstanceOf(CallerPrincipalCallback.class, told.get(0));
        assertNull(caller.getPrincipal(), "no caller");
        assertEquals(client, caller.getSubject());
    }

    @Test
    void everyOtherPathGoesToTheStaffMechanism() throws Exception {
        for (String path : List.of("/admin/", "/api/admin/events", "/api/stripe/webhook/other", "/api/stripe/webhooks")) {
            MessageInfo request = message("", path);
            assertEquals(AuthStatus.SEND_CONTINUE, context.validateRequest(request, new Subject(), null), path);
            context.secureResponse(request, null);
        }
        assertEquals(List.of("validate /admin/", "secure /admin/", "validate /api/admin/events",
                "secure /api/admin/events", "validate /api/stripe/webhook/other", "secure /api/stripe/webhook/other",
                "validate /api/stripe/webhooks", "secure /api/stripe/webhooks"), staffCalls);
        assertEquals(List.of(), told);
    }

    private static String uri(MessageInfo message) {
        return ((HttpServletRequest) message.getRequestMessage()).getRequestURI();
    }

    private static MessageInfo message(String contextPath, String uri) {
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                HttpServletRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> contextPath;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Map<String, Object> properties = new HashMap<>();
        return new MessageInfo() {
            @Override
            public Object getRequestMessage() {
                return request;
            }

            @Override
            public Object getResponseMessage() {
                return null;
            }

            @Override
            public void setRequestMessage(Object message) {
            }

            @Override
            public void setResponseMessage(Object message) {
            }

            @Override
            @SuppressWarnings("rawtypes")
            public Map getMap() {
                return properties;
            }
        };
    }
}
