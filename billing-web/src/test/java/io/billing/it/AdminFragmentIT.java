package io.billing.it;

import org.jboss.arquillian.container.test.api.Deployment;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin web fragment (billing-admin) is wired into the WAR: its PrimeFaces pages render with live data, for staff only. */
@ExtendWith(ArquillianExtension.class)
class AdminFragmentIT {

    private final WebhookClient client = new WebhookClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void adminPageIsServedFromTheFragmentJarToStaffOnly() throws Exception {
        WebhookClient.Answer anonymous = client.get("admin/");
        assertEquals(302, anonymous.status(), "sent to the login page");
        WebhookClient.Answer login = client.get("login.xhtml");
        assertEquals(200, login.status());
        assertTrue(login.body().contains("staff login"), login.body());

        HttpResponse<Void> loginPage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                TestEnvironment.get().baseUri().resolve("login.xhtml")).GET().build(), HttpResponse.BodyHandlers.discarding());
        String cookie = loginPage.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie: " + loginPage.headers()));
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);

        assertEquals(302, client.operator("GET", "admin/", null, "admin", TestEnvironment.get().adminPassword).status(),
                "HTTP Basic opens the operator API only: a page sends it to the login page");
        WebhookClient.Answer page = client.operator("GET", "admin/", null);
        assertEquals(200, page.status());
        assertTrue(page.body().contains("Billing admin"), page.body());
        assertTrue(page.body().contains("primefaces"), "PrimeFaces renders the page");
        assertTrue(page.body().matches("(?s).*Webhook intake:\\s*<a [^>]*>\\d+ event\\(s\\) stored</a>.*"),
                "the count of stored events reaches the page, as a link to the list: " + page.body());
    }
}
