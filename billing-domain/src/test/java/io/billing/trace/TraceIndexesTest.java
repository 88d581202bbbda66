package io.billing.trace;

import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every way into a payment trace is an index lookup on PostgreSQL: with sequential scans priced out, each lookup's
 * query is planned on its index and scans no table whole (a query without an index would still scan). The lookups'
 * timings on a million events are in docs/benchmarks.md.
 */
class TraceIndexesTest {

    private static TestDatabase database;

    @BeforeAll
    static void open() {
        database = TestDatabase.postgres();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    static Stream<Arguments> lookups() {
        return Stream.of(
                arguments("an event", "SELECT * FROM inbox_event WHERE event_id = 'evt_1'", List.of("pk_inbox_event")),
                arguments("a Stripe object's events", "SELECT * FROM inbox_event WHERE object_id = 'ch_1'"
                        + " ORDER BY stripe_created, event_id LIMIT 500", List.of("ix_inbox_event_object")),
                arguments("a customer's events", "SELECT * FROM inbox_event WHERE customer_id = 'cus_1'"
                        + " OR object_id = 'cus_1'", List.of("ix_inbox_event_customer", "ix_inbox_event_object")),
                arguments("an e-mail address", "SELECT object_id, object_type, customer_id FROM stripe_object"
                        + " WHERE email = 'a@b.example'", List.of("ix_stripe_object_email")),
                arguments("a payment by its Stripe ids", "SELECT * FROM reconciliation_record WHERE invoice_id IN ('x')"
                                + " OR payment_intent_id IN ('x') OR charge_id IN ('x') OR checkout_session_id IN ('x')",
                        List.of("ix_reconciliation_invoice", "ix_reconciliation_payment_intent",
                                "ix_reconciliation_charge", "ix_reconciliation_session")),
                arguments("a payment by what it is called", "SELECT * FROM reconciliation_record WHERE"
                                + " invoice_number = 'x' OR order_id = 'x' OR checkout_attempt_id = 'x'"
                                + " OR store_order_id = 'x'",
                        List.of("ix_reconciliation_invoice_number", "ix_reconciliation_order",
                                "ix_reconciliation_attempt", "ix_reconciliation_store_order")),
                arguments("a customer's payments", "SELECT * FROM reconciliation_record WHERE customer_id IN ('cus_1')",
                        List.of("ix_reconciliation_customer")),
                arguments("a subscription's payments", "SELECT * FROM reconciliation_record"
                        + " WHERE subscription_id IN ('sub_1')", List.of("ix_reconciliation_subscription")),
                arguments("the payment of an event", "SELECT DISTINCT r.* FROM reconciliation_record r"
                                + " JOIN reconciliation_event e ON e.payment_key = r.payment_key WHERE e.event_id IN ('re_1')",
                        List.of("ix_reconciliation_event_event", "pk_reconciliation_record")),
                arguments("a payment's history", "SELECT * FROM reconciliation_history WHERE payment_key IN ('x')",
                        List.of("pk_reconciliation_history")),
                arguments("a payment's postings", "SELECT e.* FROM journal_entry_payment p"
                                + " JOIN journal_entry e ON e.tenant_id = p.tenant_id AND e.business_key = p.business_key"
                                + " WHERE p.payment_key IN ('payment:pi_1')",
                        // then each entry by an index of the journal (its unique key once the journal holds more
                        // than one tenant's entries; on this empty one the tenant's index costs the same)
                        List.of("ix_journal_entry_payment_key", "on journal_entry e")),
                arguments("their reversals", "SELECT e.* FROM journal_entry_payment p JOIN journal_entry e"
                                + " ON e.tenant_id = p.tenant_id AND e.business_key = 'reversal:' || p.business_key"
                                + " WHERE p.payment_key IN ('payment:pi_1')",
                        List.of("ix_journal_entry_payment_key", "on journal_entry e")),
                arguments("the postings' lines", "SELECT entry_id, account, debit, credit FROM journal_line"
                        + " WHERE entry_id IN (1, 2) ORDER BY entry_id, line_no", List.of("pk_journal_line")),
                arguments("what people call a refund's or dispute's payment", "SELECT payment_intent_id, charge_id,"
                                + " invoice_number, order_id FROM reconciliation_record WHERE payment_intent_id IN ('x')"
                                + " OR charge_id IN ('x')",
                        List.of("ix_reconciliation_payment_intent", "ix_reconciliation_charge")),
                arguments("an event's and an object's postings", "SELECT * FROM journal_entry WHERE source_event_id IN"
                                + " ('evt_1') OR object_id IN ('ch_1')",
                        List.of("ix_journal_entry_event", "ix_journal_entry_object")),
                // by its primary key, or by the admin's search index on the same column (V74), which serves equality
                // as well and costs the same
                arguments("a tenant", "SELECT * FROM tenant WHERE tenant_id = 't'", List.of("on tenant")),
                arguments("a checkout attempt", "SELECT * FROM checkout_attempt WHERE attempt_id = 'chk_1'",
                        List.of("pk_checkout_attempt")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookups")
    void eachLookupIsPlannedOnItsIndex(String lookup, String sql, List<String> indexes) throws SQLException {
        String plan = database.plan(sql);
        assertFalse(plan.contains("Seq Scan"), lookup + ":\n" + plan);
        for (String index : indexes) {
            assertTrue(plan.contains(index), lookup + " on " + index + ":\n" + plan);
        }
    }
}
