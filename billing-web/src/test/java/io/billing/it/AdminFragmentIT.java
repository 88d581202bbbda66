package io.billing.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin web fragment (billing-admin) is wired into the WAR: its PrimeFaces page renders with live data. */
@ExtendWith(ArquillianExtension.class)
class AdminFragmentIT {

    private final WebhookClient client = new WebhookClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void adminPageIsServedFromTheFragmentJar() {
        WebhookClient.Answer page = client.get("admin/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("Billing admin"), page.body());
        assertTrue(page.body().contains("primefaces"), "PrimeFaces renders the page");
        assertTrue(page.body().matches("(?s).*Webhook intake: \\d+ event\\(s\\) stored.*"), "JPA count reaches the page");
    }
}
