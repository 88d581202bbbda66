package io.billing.processing;

import io.billing.inbox.InboxStatus;
import io.billing.platform.queue.RetryPolicy;
import io.billing.processing.operator.EventFilter;
import io.billing.processing.operator.EventOperations;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.EventViews;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parking and re-queueing of unmapped events, and every manual operation with its audit trail. */
class OperatorActionsTest {

    private EngineHarness harness;
    private ProcessingEngine engine;
    private EventOperations operations;
    private EventQueries queries;

    @BeforeEach
    void start() {
        harness = new EngineHarness(TestDatabase.postgres());
        engine = harness.engine("node-a");
        operations = new EventOperations(harness.database.dataSource(), harness.clock);
        queries = new EventQueries(harness.database.dataSource());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void anUnmappedEventIsParkedAndRequeuedByItselfWhenItsCustomerIsMapped() throws Exception {
        Fixture unmapped = StripeFixtures.get("unmapped/01_invoice.paid.no_tenant_metadata.json");
        harness.deliver(unmapped);
        engine.drain();
        assertEquals(List.of("UNMAPPED | null | no tenant metadata and no mapping for customer cus_TEST3"),
                harness.rows("SELECT status, tenant_id, status_reason FROM inbox_event"));
        harness.clock.advance(Duration.ofDays(7));
        assertEquals(0, engine.drain(), "parked, not retried");

        assertEquals(1, harness.mappings.put("cus_TEST3", "tenant_initech", "bob", "signed up through sales"));
        assertEquals(1, engine.drain());
        assertEquals(List.of("PROCESSED | tenant_initech"), harness.rows("SELECT status, tenant_id FROM inbox_event"));
        assertEquals(List.of("bob | MAPPING_ADDED | customer | cus_TEST3 | null | tenant_initech | signed up through sales"),
                harness.rows("SELECT actor, action, target_type, target_id, before_value, after_value, reason FROM audit_log"));
    }

    @Test
    void aConnectAccountMappingResolvesEveryEventOfThatAccount() throws Exception {
        Fixture unmapped = StripeFixtures.get("unmapped/01_invoice.paid.no_tenant_metadata.json");
        byte[] fromAccount = new String(unmapped.body(), StandardCharsets.UTF_8)
                .replaceFirst("\"object\": \"event\",", "\"object\": \"event\", \"account\": \"acct_CONNECT1\",")
                .getBytes(StandardCharsets.UTF_8);
        harness.deliver(fromAccount);
        engine.drain();
        assertEquals(List.of("UNMAPPED | acct_CONNECT1"), harness.rows("SELECT status, account_id FROM inbox_event"));

        assertEquals(1, harness.mappings.putAccount("acct_CONNECT1", "tenant_connect", "bob", "platform account"));
        engine.drain();
        assertEquals(List.of("PROCESSED | tenant_connect"), harness.rows("SELECT status, tenant_id FROM inbox_event"));
        assertEquals(List.of("bob | ACCOUNT_MAPPING_ADDED | account | acct_CONNECT1 | tenant_connect"), harness.rows(
                "SELECT actor, action, target_type, target_id, after_value FROM audit_log"));
    }

    @Test
    void aMappingLearntFromAnEventRegistersTheTenantAndKeepsItsHistory() throws Exception {
        Fixture created = StripeFixtures.get("acme/03_customer.created.json");
        harness.deliver(created);
        engine.drain();
        assertEquals(List.of("stripe | MAPPING_LEARNT | customer | cus_TEST1 | null | tenant_acme | event "
                + created.eventId()), harness.rows(
                "SELECT actor, action, target_type, target_id, before_value, after_value, reason FROM audit_log"));
        assertEquals(List.of("tenant_acme | ACTIVE"), harness.rows("SELECT tenant_id, status FROM tenant"));
        harness.mappings.put("cus_TEST1", "tenant_acme_eu", "bob", "moved to the EU entity");
        assertEquals(List.of("MAPPING_LEARNT | null | tenant_acme", "MAPPING_CHANGED | tenant_acme | tenant_acme_eu"),
                harness.rows("SELECT action, before_value, after_value FROM audit_log ORDER BY audit_id"));
        assertEquals(2, harness.count("SELECT COUNT(*) FROM tenant"));
    }

    @Test
    void aTenantNamedByTheEventThatContradictsTheMappingIsParkedNotGuessed() throws Exception {
        harness.mappings.put("cus_TEST1", "tenant_other", "bob", "typo");
        harness.deliver(StripeFixtures.get("acme/04_customer.subscription.created.json"));
        engine.drain();
        assertEquals(List.of("UNMAPPED | conflict: the event names tenant tenant_acme but customer cus_TEST1 is mapped"
                + " to tenant_other"), harness.rows("SELECT status, status_reason FROM inbox_event"));

        assertEquals(1, harness.mappings.put("cus_TEST1", "tenant_acme", "bob", "fix the typo"));
        engine.drain();
        assertEquals(List.of("PROCESSED | tenant_acme"), harness.rows("SELECT status, tenant_id FROM inbox_event"));
        assertEquals(List.of("MAPPING_ADDED | null | tenant_other", "MAPPING_CHANGED | tenant_other | tenant_acme"),
                harness.rows("SELECT action, before_value, after_value FROM audit_log ORDER BY audit_id"));
    }

    @Test
    void resolvingByHandNeedsAReasonAndIsAudited() throws Exception {
        Fixture paymentLink = StripeFixtures.get("unmapped/02_checkout.session.completed.payment_link_no_metadata.json");
        harness.deliver(paymentLink);
        engine.drain();
        assertThrows(IllegalArgumentException.class, () -> operations.resolve(paymentLink.eventId(), "carol", " "));
        assertTrue(operations.resolve(paymentLink.eventId(), "carol", "test purchase by our own staff"));
        assertFalse(operations.resolve(paymentLink.eventId(), "carol", "again"), "already resolved");
        EventViews.Detail detail = queries.detail(paymentLink.eventId()).orElseThrow();
        assertEquals("RESOLVED", detail.summary().status());
        assertEquals(1, detail.attempts().size());
        assertEquals("UNMAPPED", detail.attempts().get(0).outcome());
        assertEquals(1, detail.actions().size());
        assertEquals("carol", detail.actions().get(0).actor());
        assertEquals("test purchase by our own staff", detail.actions().get(0).reason());
        assertTrue(detail.payload().contains("\"payment_link\""), "the body as Stripe sent it");
    }

    @Test
    void rerunningProcessedEventsHasNoDoubleEffects() throws Exception {
        List<Fixture> story = StripeFixtures.all().stream().filter(f -> f.name().startsWith("acme/")).toList();
        for (Fixture event : story) {
            harness.deliver(event);
        }
        engine.drain();
        List<String> before = effects();
        assertEquals(3, harness.count("SELECT COUNT(*) FROM outbox_message"));

        assertEquals(2, operations.rerunProcessed("invoice.paid", null, "dave", "handler fix 1.4.2"));
        assertEquals(1, operations.rerunProcessed("customer.subscription.trial_will_end", null, "dave", null));
        assertEquals(0, operations.rerunProcessed("charge.dispute.created", null, "dave", null), "UNMAPPED is no re-run");
        assertEquals(3, engine.drain());
        assertEquals(before, effects(), "same snapshots, same notifications");
        assertEquals(3, harness.count("SELECT COUNT(*) FROM outbox_message"));
        assertEquals(3, harness.count("SELECT COUNT(*) FROM audit_log WHERE action = 'RERUN'"));
        assertEquals(2, harness.count("SELECT COUNT(*) FROM event_attempt WHERE event_id = '"
                + story.get(23).eventId() + "'"), "the re-run is an attempt of its own");
    }

    /**
     * A customer mapped to another tenant after its invoice was posted, and the invoice's event run again: the
     * invoice would count in two tenants' ledgers. The event fails at once, as a whole, with the reason, and stays in
     * the dead letter for an operator; nothing of it reaches the second tenant.
     */
    @Test
    void aPaymentPostedForOneTenantIsNotPostedAgainForAnotherWhenItsCustomerIsMappedAnew() throws Exception {
        Fixture paid = StripeFixtures.get("unmapped/01_invoice.paid.no_tenant_metadata.json");
        harness.mappings.put("cus_TEST3", "tenant_initech", "bob", "signed up through sales");
        harness.deliver(paid);
        engine.drain();
        String ledger = "SELECT tenant_id, business_key FROM journal_entry ORDER BY entry_id";
        List<String> posted = harness.rows(ledger);
        assertEquals(List.of("tenant_initech | invoice_issued:in_TEST3_SUB0001",
                "tenant_initech | invoice_paid:in_TEST3_SUB0001"), posted);
        String snapshot = "SELECT tenant_id FROM stripe_object WHERE object_id = 'in_TEST3_SUB0001'";
        assertEquals(List.of("tenant_initech"), harness.rows(snapshot));

        harness.mappings.put("cus_TEST3", "tenant_umbrella", "bob", "it was Umbrella's all along");
        assertEquals(1, operations.rerunProcessed("invoice.paid", null, "bob", "after the mapping changed"));
        assertEquals(1, engine.drain());

        assertEquals(List.of("FAILED | null | CrossTenantPostingException: invoice_issued:in_TEST3_SUB0001 is already"
                        + " in the ledger of tenant_initech; not posted for tenant_umbrella (a Stripe fact counts for one"
                        + " tenant only: was the customer mapped to another tenant after it was posted?)"),
                harness.rows("SELECT status, due_at, status_reason FROM inbox_event"));
        assertEquals(List.of("PROCESSED", "FAILED"), harness.rows("SELECT outcome FROM event_attempt"
                + " ORDER BY attempt_no"), "dead-lettered at its first failed attempt, not retried");
        assertEquals(posted, harness.rows(ledger));
        assertEquals(List.of("tenant_initech"), harness.rows(snapshot), "the event's other writes rolled back too");
    }

    @Test
    void retriesBySelectionAndByTypeTouchOnlyWhatTheyName() throws Exception {
        RetryPolicy once = new RetryPolicy(Duration.ofMinutes(1), 2.0, Duration.ofMinutes(1), 1, 0.0);
        FaultyHandler paid = new FaultyHandler("invoice.paid", Integer.MAX_VALUE);
        FaultyHandler created = new FaultyHandler("invoice.created", Integer.MAX_VALUE);
        harness.database.execute(FaultyHandler.TABLE);
        ProcessingEngine failing = harness.engine(EngineHarness.settings("node-a", 1, once), List.of(paid, created));
        List<String> ids = new ArrayList<>();
        for (String name : List.of("acme/05_invoice.paid.subscription_create.json", "acme/27_invoice.paid.subscription_cycle.json",
                "acme/20_invoice.created.json")) {
            harness.deliver(StripeFixtures.get(name));
            ids.add(StripeFixtures.get(name).eventId());
        }
        failing.drain();
        assertEquals(3, harness.count("SELECT COUNT(*) FROM inbox_event WHERE status = 'FAILED'"));

        assertEquals(2, operations.retryFailed("invoice.paid", null, "erin", "after the outage"));
        assertEquals(0, operations.retryFailed("invoice.paid", null, "erin", "nothing failed any more"),
                "the re-queued ones are no longer FAILED");
        assertEquals(1, operations.retry(List.of(ids.get(2), "evt_unknown"), "erin", null));
        EventViews.Page failedPage = queries.list(new EventFilter(InboxStatus.RETRY_SCHEDULED, null, null, null, null,
                null, 0, 2));
        assertEquals(3, failedPage.total());
        assertEquals(2, failedPage.events().size(), "paged");
        assertEquals(1, queries.list(new EventFilter(null, "invoice.created", null, null, null, null, 0, 50)).total());
        assertEquals(1, queries.list(new EventFilter(null, null, null, "in_TEST1_SUB0001", null, null, 0, 50)).total());
        assertThrows(IllegalArgumentException.class, () -> operations.retry(ids.get(0), " ", null), "who did it");
    }

    private List<String> effects() throws Exception {
        List<String> state = new ArrayList<>(harness.rows("SELECT * FROM stripe_object ORDER BY object_id"));
        state.addAll(harness.rows("SELECT idempotency_key, payload FROM outbox_message ORDER BY idempotency_key"));
        state.addAll(harness.rows("SELECT customer_id, tenant_id FROM tenant_mapping"));
        return state;
    }
}
