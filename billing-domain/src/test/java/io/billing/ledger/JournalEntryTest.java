package io.billing.ledger;

import org.junit.jupiter.api.Test;

import java.util.Currency;
import java.util.List;

import static io.billing.ledger.LedgerAccount.DISPUTES;
import static io.billing.ledger.LedgerAccount.DISPUTE_FEES;
import static io.billing.ledger.LedgerAccount.RECEIVABLES;
import static io.billing.ledger.LedgerAccount.REVENUE;
import static io.billing.ledger.LedgerAccount.STRIPE_BALANCE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What a journal entry may be before it reaches a database: balanced, one-sided lines, a key, a tenant. */
class JournalEntryTest {

    private static final Currency USD = Money.currency("usd");

    private static JournalEntry entry(String tenant, String key, JournalEntry.Line... lines) {
        return new JournalEntry(tenant, USD, key, "evt_1", "a posting", List.of(lines));
    }

    @Test
    void unbalancedOrOneSidedEntriesNeverReachTheDatabase() {
        assertThrows(IllegalArgumentException.class, () -> entry("t", "k",
                new JournalEntry.Line(STRIPE_BALANCE, 100, 0), new JournalEntry.Line(REVENUE, 0, 99)));
        assertThrows(IllegalArgumentException.class, () -> new JournalEntry.Line(REVENUE, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new JournalEntry.Line(REVENUE, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new JournalEntry.Line(REVENUE, -100, 0));
        assertThrows(IllegalArgumentException.class, () -> new JournalEntry.Line(REVENUE, 0, -100));
        assertThrows(IllegalArgumentException.class, () -> new JournalEntry.Line(REVENUE, -1, 1), "both sides");
        assertThrows(NullPointerException.class, () -> new JournalEntry.Line(null, 1, 0));
    }

    @Test
    void aLineOfOneMinorUnitOnEitherSideIsAllowed() {
        assertEquals(new JournalEntry.Line(REVENUE, 0, 1), JournalEntry.Line.credit(REVENUE, Money.ofStripe(1, "usd")));
        assertEquals(new JournalEntry.Line(STRIPE_BALANCE, 1, 0),
                JournalEntry.Line.debit(STRIPE_BALANCE, Money.ofStripe(1, "usd")));
    }

    @Test
    void anEntryNeedsTwoLinesThatBalance() {
        JournalEntry.Line in = new JournalEntry.Line(STRIPE_BALANCE, 4400, 0);
        assertThrows(IllegalArgumentException.class, () -> entry("t", "k", in), "one line cannot balance");
        assertThrows(IllegalArgumentException.class, () -> entry("t", "k"));
        assertDoesNotThrow(() -> entry("t", "k", in, new JournalEntry.Line(REVENUE, 0, 4400)));
        assertDoesNotThrow(() -> entry("t", "k", new JournalEntry.Line(DISPUTES, 2900, 0),
                new JournalEntry.Line(DISPUTE_FEES, 1500, 0), new JournalEntry.Line(STRIPE_BALANCE, 0, 4400)));
        assertThrows(IllegalArgumentException.class, () -> entry("t", "k", new JournalEntry.Line(DISPUTES, 2900, 0),
                new JournalEntry.Line(DISPUTE_FEES, 1500, 0), new JournalEntry.Line(STRIPE_BALANCE, 0, 4399)));
        assertThrows(ArithmeticException.class, () -> entry("t", "k", new JournalEntry.Line(DISPUTES, Long.MAX_VALUE, 0),
                new JournalEntry.Line(DISPUTE_FEES, 1, 0), new JournalEntry.Line(STRIPE_BALANCE, 0, 1)),
                "debits that overflow are refused, not wrapped");
    }

    @Test
    void theTenantAndTheBusinessKeyAreOneTo255Characters() {
        JournalEntry.Line debit = new JournalEntry.Line(RECEIVABLES, 1, 0);
        JournalEntry.Line credit = new JournalEntry.Line(REVENUE, 0, 1);
        String longest = "k".repeat(255);
        assertDoesNotThrow(() -> entry(longest, longest, debit, credit), "the columns hold 255");
        assertThrows(IllegalArgumentException.class, () -> entry("t", longest + "k", debit, credit));
        assertThrows(IllegalArgumentException.class, () -> entry(longest + "t", "k", debit, credit));
        assertThrows(IllegalArgumentException.class, () -> entry("t", " ", debit, credit));
        assertThrows(IllegalArgumentException.class, () -> entry(null, "k", debit, credit));
        assertThrows(IllegalArgumentException.class, () -> entry("t", null, debit, credit));
        assertThrows(NullPointerException.class,
                () -> new JournalEntry("t", null, "k", null, null, List.of(debit, credit)), "no currency");
    }

    @Test
    void aTransferMovesAPositiveAmountFromOneAccountToAnother() {
        JournalEntry paid = JournalEntry.transfer("tenant_acme", "invoice_paid:in_1", "evt_1", "invoice in_1 paid",
                STRIPE_BALANCE, RECEIVABLES, Money.ofStripe(1, "jpy"));
        assertEquals(new JournalEntry("tenant_acme", Money.currency("jpy"), "invoice_paid:in_1", "evt_1",
                "invoice in_1 paid", List.of(new JournalEntry.Line(STRIPE_BALANCE, 1, 0),
                        new JournalEntry.Line(RECEIVABLES, 0, 1))), paid);
        assertThrows(IllegalArgumentException.class, () -> JournalEntry.transfer("t", "k", null, null,
                STRIPE_BALANCE, REVENUE, Money.ofStripe(0, "usd")));
        assertThrows(IllegalArgumentException.class, () -> JournalEntry.transfer("t", "k", null, null,
                STRIPE_BALANCE, REVENUE, Money.ofStripe(-4900, "usd")), "a negative amount is the other direction");
    }

    @Test
    void aReversalPutsEveryLineOnTheOtherSideUnderItsOwnKey() {
        JournalEntry dispute = entry("tenant_acme", "dispute_opened:du_1", new JournalEntry.Line(DISPUTES, 2900, 0),
                new JournalEntry.Line(DISPUTE_FEES, 1500, 0), new JournalEntry.Line(STRIPE_BALANCE, 0, 4400));
        assertEquals(entry("tenant_acme", "reversal:dispute_opened:du_1", new JournalEntry.Line(DISPUTES, 0, 2900),
                        new JournalEntry.Line(DISPUTE_FEES, 0, 1500), new JournalEntry.Line(STRIPE_BALANCE, 4400, 0))
                        .lines(), dispute.reversal("evt_2", null).lines());
        assertEquals("reversal:dispute_opened:du_1", dispute.reversal("evt_2", null).businessKey());
        assertEquals("evt_2", dispute.reversal("evt_2", null).sourceEventId());
        assertEquals("reversal of dispute_opened:du_1", dispute.reversal("evt_2", null).description());
        assertEquals("reversal of dispute_opened:du_1: posted twice", dispute.reversal("evt_2", "posted twice")
                .description());
    }
}
