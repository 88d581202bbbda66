package io.billing.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MicroProfile OpenAPI at /openapi: the webhook (a servlet, from the static document) and the JAX-RS APIs. */
@ExtendWith(ArquillianExtension.class)
class OpenApiIT {

    private final WebhookClient client = new WebhookClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void everyApiIsDescribedWithItsSecurityAndExamples() {
        WebhookClient.Answer document = client.get("openapi");
        assertEquals(200, document.status());
        String yaml = document.body();
        for (String expected : List.of("title: Billing service", "/api/stripe/webhook:", "/api/billing/checkout:",
                "/api/billing/portal:", "/api/tenants/{tenantId}/entitlements:", "/api/admin/events:",
                "/api/admin/trace/{id}:", "/api/admin/api-keys:", "tenants:create", "stripeSignature",
                "https://checkout.stripe.com/c/pay/")) {
            assertTrue(yaml.contains(expected), expected + " in\n" + yaml);
        }
    }
}
