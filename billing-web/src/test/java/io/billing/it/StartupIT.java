package io.billing.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a person who starts the service sees first: the banner after the server's own report, and the root URL. */
@ExtendWith(ArquillianExtension.class)
class StartupIT {

    private final TestEnvironment environment = TestEnvironment.get();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void theRootUrlLeadsToTheAdmin() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> root = http.send(HttpRequest.newBuilder(environment.baseUri()).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, root.statusCode(), root.body());
        String location = root.headers().firstValue("Location").orElse("");
        assertTrue(location.endsWith("/admin/"), location);

        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> landed = following.send(HttpRequest.newBuilder(environment.baseUri())
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, landed.statusCode());
        assertTrue(landed.uri().getPath().endsWith("login.xhtml"), "someone not logged in lands on the login page: "
                + landed.uri());
    }

    @Test
    void theBannerComesAfterTheServersReadyLineAndSaysWhatAPersonNeeds() throws Exception {
        String log = environment.serviceLogText();
        for (int i = 0; i < 100 && !log.contains("Billing service ready"); i++) {
            TimeUnit.MILLISECONDS.sleep(100); // the log handler writes asynchronously
            log = environment.serviceLogText();
        }
        int ready = log.indexOf(" ready in ");
        int banner = log.indexOf("Billing service ready");
        assertTrue(ready >= 0, "Payara Micro's ready line is in the log");
        assertTrue(banner > ready, "the banner follows the server's ready line");
        String after = log.substring(banner);
        assertTrue(after.contains("Stripe webhook URL:  http"), after);
        assertTrue(after.contains("/api/stripe/webhook"), after);
        assertTrue(after.contains("/admin/"), after);
        assertTrue(after.contains("Database:            " + (environment.isPostgres() ? "PostgreSQL, jdbc:postgresql:" : "embedded H2, jdbc:h2:")), after);
        assertTrue(after.contains("Webhook secrets:     2 configured"), after);
    }
}
