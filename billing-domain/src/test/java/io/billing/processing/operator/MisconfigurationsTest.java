package io.billing.processing.operator;

import io.billing.testsupport.MutableClock;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin's banner: nothing on a service set up right; no webhook secret, no Stripe API key and each failing
 * connector in words that say what to do; read again only after a few seconds; the outbox's failing destinations
 * counted on PostgreSQL and H2, an operator's retry not taken for a failure, and its undelivered messages by status.
 */
class MisconfigurationsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void aServiceSetUpRightHasNothingToSay() {
        assertEquals(List.of(), Misconfigurations.of(true, true, List.of()));
    }

    @Test
    void withoutAWebhookSecretEveryDeliveryIsRefusedAndTheBannerSaysWhatToSet() {
        List<Misconfigurations.Warning> warnings = Misconfigurations.of(false, true, List.of());
        assertEquals(1, warnings.size());
        assertEquals(Misconfigurations.Kind.NO_WEBHOOK_SECRET, warnings.get(0).kind());
        String text = warnings.get(0).text();
        assertTrue(text.contains("every delivery from Stripe is refused") && text.contains("STRIPE_WEBHOOK_SECRETS"),
                text);
    }

    @Test
    void withoutAStripeKeyRecoveryAndDisputesOnUnseenChargesWait() {
        List<Misconfigurations.Warning> warnings = Misconfigurations.of(true, false, List.of());
        assertEquals(List.of(Misconfigurations.Kind.NO_STRIPE_API_KEY), warnings.stream()
                .map(Misconfigurations.Warning::kind).toList());
        String text = warnings.get(0).text();
        assertTrue(text.contains("not recovered") && text.contains("disputes") && text.contains("STRIPE_API_KEY"), text);
    }

    @Test
    void aFailingConnectorIsNamedWithWhatFailedAndWhatToCheck() {
        List<Misconfigurations.Warning> warnings = Misconfigurations.of(false, false, List.of(
                new OutboxOperations.FailingDestination("rating", 2, 1, "HTTP 503 from\n  the rating edge"),
                new OutboxOperations.FailingDestination("tenant-callback", 0, 3, null),
                new OutboxOperations.FailingDestination("carrier-pigeon", 1, 0, "x".repeat(400))));
        assertEquals(List.of(Misconfigurations.Kind.NO_WEBHOOK_SECRET, Misconfigurations.Kind.NO_STRIPE_API_KEY,
                Misconfigurations.Kind.CONNECTOR_FAILING, Misconfigurations.Kind.CONNECTOR_FAILING,
                Misconfigurations.Kind.CONNECTOR_FAILING), warnings.stream().map(Misconfigurations.Warning::kind).toList(),
                "the settings first, then the connectors");
        Misconfigurations.Warning rating = warnings.get(2);
        assertEquals("rating", rating.subject());
        assertEquals("The rating edge is failing: 2 messages failed for good and 1 message is retrying after errors"
                + " (latest: HTTP 503 from the rating edge). Check that the rating edge is up and that RATING_MP_REST_URL"
                + " (and its API key) point at it, then send the failed messages again on the Failures page.",
                rating.text());
        String callbacks = warnings.get(3).text();
        assertTrue(callbacks.startsWith("Tenants' callbacks are failing: 3 messages are retrying after errors. Ask"),
                callbacks);
        assertTrue(callbacks.contains("3 messages are retrying after errors") && callbacks.contains("callback URL")
                && callbacks.endsWith("messages that fail for good can be sent again on the Failures page."), callbacks);
        String unknown = warnings.get(4).text();
        assertTrue(unknown.startsWith("The connector carrier-pigeon is failing: 1 message failed for good"), unknown);
        assertTrue(unknown.contains("x".repeat(159) + "…)") && !unknown.contains("x".repeat(160)),
                "a long reason is cut: " + unknown);
    }

    @Test
    void theBannerIsReadAgainOnlyAfterAFewSeconds() {
        AtomicInteger reads = new AtomicInteger();
        MutableClock clock = new MutableClock(NOW);
        List<OutboxOperations.FailingDestination> failing = new java.util.ArrayList<>();
        Misconfigurations banner = new Misconfigurations(true, true, () -> {
            reads.incrementAndGet();
            return List.copyOf(failing);
        }, clock, Duration.ofSeconds(5));
        assertEquals(List.of(), banner.current());
        failing.add(new OutboxOperations.FailingDestination("licence", 1, 0, "HTTP 500"));
        clock.advance(Duration.ofSeconds(4));
        assertEquals(List.of(), banner.current(), "kept for five seconds");
        assertEquals(1, reads.get());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("licence"), banner.current().stream().map(Misconfigurations.Warning::subject).toList());
        assertEquals(2, reads.get());
    }

    @Test
    void anOutboxThatCannotBeReadLeavesTheSettingsWarnings() {
        Misconfigurations banner = new Misconfigurations(false, true, () -> {
            throw new SQLException("connection refused");
        }, new MutableClock(NOW), Duration.ofSeconds(5));
        assertEquals(List.of(Misconfigurations.Kind.NO_WEBHOOK_SECRET),
                banner.current().stream().map(Misconfigurations.Warning::kind).toList());
    }

    @Test
    void failingDestinationsOnPostgres() throws SQLException {
        failingDestinations(TestDatabase::postgres);
    }

    @Test
    void failingDestinationsOnTheEmbeddedDatabase() throws SQLException {
        failingDestinations(TestDatabase::h2);
    }

    private static void failingDestinations(Supplier<TestDatabase> databases) throws SQLException {
        try (TestDatabase database = databases.get()) {
            message(database, "rating:1", "rating", "FAILED", 3, "HTTP 503", "2026-11-30 09:00:00+00");
            message(database, "rating:2", "rating", "RETRY_SCHEDULED", 1, "HTTP 502", "2026-11-30 09:30:00+00");
            message(database, "rating:3", "rating", "DELIVERED", 0, null, "2026-11-30 09:40:00+00");
            // Sent again by an operator: waiting, not failing, until an attempt of its new cycle fails.
            message(database, "licence:1", "licence", "RETRY_SCHEDULED", 0, "retried by ada: fixed", "2026-11-30 09:50:00+00");
            message(database, "licence:2", "licence", "PENDING", 0, null, "2026-11-30 09:55:00+00");
            message(database, "callback:1", "tenant-callback", "FAILED", 3, "connection refused", "2026-11-30 08:00:00+00");

            OutboxOperations outbox = new OutboxOperations(database.dataSource(), new MutableClock(NOW));
            List<OutboxOperations.FailingDestination> failing = outbox.failingDestinations();
            assertEquals(List.of(
                    new OutboxOperations.FailingDestination("rating", 1, 1, "HTTP 502"),
                    new OutboxOperations.FailingDestination("tenant-callback", 1, 0, "connection refused")), failing,
                    "by name, with the latest failing message's reason");
            assertEquals(java.util.Map.of("FAILED", 2L, "RETRY_SCHEDULED", 2L, "PENDING", 1L),
                    outbox.undeliveredByStatus(), "the dashboard's outbox figures");
        }
    }

    private static void message(TestDatabase database, String key, String destination, String status, int cycleAttempts,
                                String reason, String createdAt) throws SQLException {
        database.execute("INSERT INTO outbox_message (idempotency_key, destination, payload, created_at, status,"
                + " status_reason, attempt_count, cycle_attempts) VALUES ('" + key + "', '" + destination + "', '{}',"
                + " TIMESTAMP WITH TIME ZONE '" + createdAt + "', '" + status + "', "
                + (reason == null ? "NULL" : "'" + reason + "'") + ", " + cycleAttempts + ", " + cycleAttempts + ")");
    }
}
