package io.billing.ledger;

import io.billing.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import static io.billing.ledger.LedgerAccount.DISPUTES;
import static io.billing.ledger.LedgerAccount.DISPUTE_FEES;
import static io.billing.ledger.LedgerAccount.REFUNDS;
import static io.billing.ledger.LedgerAccount.REVENUE;
import static io.billing.ledger.LedgerAccount.STRIPE_BALANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Posting on the real PostgreSQL and on the embedded default: once per fact, in one tenant, balanced, per tenant. */
class LedgerPostingTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private TestDatabase database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private TestDatabase open(String kind) {
        database = kind.equals("postgres") ? TestDatabase.postgres() : TestDatabase.h2();
        return database;
    }

    private boolean post(JournalEntry entry) throws SQLException {
        return database.dataAccess().inTransaction(unit -> new JpaLedger(unit.entityManager()).post(entry, NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aFactPostsOnceAndTheLedgerBalances(String kind) throws Exception {
        open(kind);
        Money paid = Money.ofStripe(4900, "usd");
        JournalEntry revenue = JournalEntry.transfer("tenant_acme", "payment:pi_1", "evt_1", "order ord_1002",
                STRIPE_BALANCE, REVENUE, paid);
        assertTrue(post(revenue));
        assertFalse(post(revenue), "the same fact again");
        assertFalse(post(JournalEntry.transfer("tenant_acme", "payment:pi_1", "evt_2", "the charge event",
                STRIPE_BALANCE, REVENUE, paid)), "the same fact from another event");
        assertTrue(post(JournalEntry.transfer("tenant_acme", "refund:re_1", "evt_3", "partial refund",
                REFUNDS, STRIPE_BALANCE, Money.ofStripe(1500, "usd"))));
        assertTrue(post(new JournalEntry("tenant_acme", Money.currency("usd"), "dispute_lost:du_1", "evt_4",
                "dispute lost with its fee", List.of(
                        JournalEntry.Line.debit(DISPUTES, Money.ofStripe(2900, "usd")),
                        JournalEntry.Line.debit(DISPUTE_FEES, Money.ofStripe(1500, "usd")),
                        JournalEntry.Line.credit(STRIPE_BALANCE, Money.ofStripe(4400, "usd"))))));
        assertTrue(post(JournalEntry.transfer("tenant_acme", "payment:pi_jp", "evt_5", "yen order",
                STRIPE_BALANCE, REVENUE, Money.ofStripe(5000, "jpy"))));
        assertThrows(CrossTenantPostingException.class, () -> post(JournalEntry.transfer("tenant_globex",
                "payment:pi_1", "evt_6", "Acme's payment in Globex's name", STRIPE_BALANCE, REVENUE, paid)),
                "a fact counts for one tenant");
        assertTrue(post(JournalEntry.transfer("tenant_globex", "payment:pi_2", "evt_7", "Globex's own payment",
                STRIPE_BALANCE, REVENUE, Money.ofStripe(2900, "usd"))));

        LedgerQueries queries = new LedgerQueries(database.dataAccess());
        Map<Currency, Map<LedgerAccount, LedgerQueries.AccountBalance>> acme = queries.balances("tenant_acme");
        Map<LedgerAccount, LedgerQueries.AccountBalance> usd = acme.get(Money.currency("usd"));
        assertEquals("49.00 USD", usd.get(REVENUE).normalBalance().toString());
        assertEquals("-10.00 USD", usd.get(STRIPE_BALANCE).normalBalance().toString(),
                "49 in, 15 refunded, 29 + 15 lost to the dispute");
        assertEquals("15.00 USD", usd.get(REFUNDS).normalBalance().toString());
        assertEquals("5000 JPY", acme.get(Money.currency("jpy")).get(REVENUE).normalBalance().toString());
        assertEquals(List.of(Money.ofStripe(0, "jpy"), Money.ofStripe(0, "usd")), queries.trialBalance("tenant_acme"));
        assertEquals("29.00 USD", queries.balances("tenant_globex").get(Money.currency("usd")).get(REVENUE)
                .normalBalance().toString(), "tenants never mix");
    }

    @Test
    void aCorrectionIsAReversingEntryNeverAnUpdate() throws Exception {
        open("postgres");
        JournalEntry wrong = JournalEntry.transfer("tenant_acme", "invoice_issued:in_1", "evt_1", "wrong amount",
                LedgerAccount.RECEIVABLES, REVENUE, Money.ofStripe(25000, "usd"));
        assertTrue(post(wrong));
        assertTrue(post(wrong.reversal("evt_2", "invoice voided")));
        assertFalse(post(wrong.reversal("evt_3", "voided again")), "a reversal is a fact too");
        assertEquals(4, database.count("SELECT COUNT(*) FROM journal_line WHERE tenant_id = 'tenant_acme'"));
        assertEquals(List.of("0.00 USD"), new LedgerQueries(database.dataAccess()).balances("tenant_acme")
                .get(Money.currency("usd")).values().stream().map(b -> b.balance().toString()).distinct().toList());
    }
}
