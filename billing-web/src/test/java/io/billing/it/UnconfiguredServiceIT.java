package io.billing.it;

import io.billing.service.ServiceProcess;
import io.billing.testsupport.StripeFixtures;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service started as someone trying it out might start it: no webhook secret, no Stripe API key. Every admin page
 * says so on its banner, naming what to set, and a delivery from Stripe is refused with a 503 (so that Stripe keeps
 * it and tries again) rather than stored unverified.
 *
 * <p>A Payara Micro process of its own on its own embedded database, started once: the suite's service is configured
 * with both. It runs in the execution that starts its services itself ({@code it-cluster}), not in the suite's.
 */
class UnconfiguredServiceIT {

    private static final String ADMIN_PASSWORD = "unconfigured-" + UUID.randomUUID();

    @Test
    void everyAdminPageSaysWhatIsMissingAndADeliveryIsRefusedForStripeToRetry() throws Exception {
        AdminBrowser.requireOrSkip();
        Path folder = Path.of("target", "unconfigured").toAbsolutePath();
        deleteRecursively(folder);
        try (ServiceProcess service = new ServiceProcess(Path.of(System.getProperty("it.war")), ServiceProcess.freePort(),
                folder.resolve("service.log"))) {
            service.start(Path.of(System.getProperty("payara.microJar")), Map.of(
                    "BILLING_DB_URL", "jdbc:h2:file:" + folder.resolve("db").resolve("billing")
                            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                    "BILLING_ADMIN_PASSWORD", ADMIN_PASSWORD), "-Xmx512m -XX:TieredStopAtLevel=1");
            service.awaitReady("GET", "/health/live", 200);

            HttpResponse<String> delivery = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            service.baseUri().resolve("api/stripe/webhook")).timeout(Duration.ofSeconds(30))
                    .header("Stripe-Signature", "t=1,v1=00").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(
                            StripeFixtures.get("acme/05_invoice.paid.subscription_create.json").body())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, delivery.statusCode(), delivery.body());

            try (AdminBrowser browser = new AdminBrowser(service.baseUri().toString())) {
                browser.logIn("admin", ADMIN_PASSWORD);
                for (String page : List.of("/admin/", "/admin/events.xhtml", "/admin/failures.xhtml",
                        "/admin/trace.xhtml", "/admin/mappings.xhtml")) {
                    browser.open(page);
                    List<String> banners = browser.all(By.className("banner")).stream().map(WebElement::getText)
                            .toList();
                    assertEquals(2, banners.size(), page + ": " + banners);
                    assertTrue(banners.get(0).startsWith("No webhook secret is configured, so every delivery from"
                            + " Stripe is refused") && banners.get(0).contains("Set STRIPE_WEBHOOK_SECRETS"),
                            page + ": " + banners);
                    assertTrue(banners.get(1).startsWith("No Stripe API key is configured")
                            && banners.get(1).contains("Set STRIPE_API_KEY"), page + ": " + banners);
                }
                browser.open("/admin/");
                browser.screenshot("banner-unconfigured");
                assertEquals(List.of(), browser.refusedByPolicy(), "the banner runs under the pages' policy");
            }
        }
    }

    private static void deleteRecursively(Path folder) throws java.io.IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
