package io.billing.ledger;

import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * One balanced posting to a tenant's ledger in one currency: debits equal credits, every line is on one
 * side only and positive. The business key names the fact the entry records (for example
 * {@code invoice_paid:in_123}): the ledger posts each key once per tenant, however often the fact
 * arrives. An entry is never changed; a correction is a reversing entry.
 *
 * @param sourceEventId the Stripe event that caused the entry, for the payment trace
 */
public record JournalEntry(String tenantId, Currency currency, String businessKey, String sourceEventId,
                           String description, List<Line> lines) {

    /** One line: an amount on the debit or the credit side of an account, in minor units. */
    public record Line(LedgerAccount account, long debit, long credit) {
        public Line {
            Objects.requireNonNull(account, "account");
            if (debit < 0 || credit < 0 || (debit == 0) == (credit == 0)) {
                throw new IllegalArgumentException("a line is a positive debit or a positive credit, not both: "
                        + account + " " + debit + "/" + credit);
            }
        }

        public static Line debit(LedgerAccount account, Money amount) {
            return new Line(account, amount.minorUnits(), 0);
        }

        public static Line credit(LedgerAccount account, Money amount) {
            return new Line(account, 0, amount.minorUnits());
        }
    }

    public JournalEntry {
        requireText(tenantId, "tenant id");
        requireText(businessKey, "business key");
        Objects.requireNonNull(currency, "currency");
        lines = List.copyOf(lines);
        if (lines.size() < 2) {
            throw new IllegalArgumentException("an entry needs at least two lines: " + businessKey);
        }
        long debits = 0;
        long credits = 0;
        for (Line line : lines) {
            debits = Math.addExact(debits, line.debit());
            credits = Math.addExact(credits, line.credit());
        }
        if (debits != credits) {
            throw new IllegalArgumentException("entry " + businessKey + " does not balance: debits " + debits
                    + ", credits " + credits);
        }
    }

    /** The simplest entry: one amount from one account to another. */
    public static JournalEntry transfer(String tenantId, String businessKey, String sourceEventId, String description,
                                        LedgerAccount debit, LedgerAccount credit, Money amount) {
        if (amount.minorUnits() <= 0) {
            throw new IllegalArgumentException("a transfer needs a positive amount: " + amount);
        }
        return new JournalEntry(tenantId, amount.currency(), businessKey, sourceEventId, description,
                List.of(Line.debit(debit, amount), Line.credit(credit, amount)));
    }

    /**
     * The Stripe object the fact is about: its business key after the kind ({@code in_…} of
     * {@code invoice_paid:in_…}), kept beside the entry for the payment trace.
     */
    public String objectId() {
        return businessKey.substring(businessKey.indexOf(':') + 1);
    }

    /** The entry that undoes this one: every line on the other side, under its own key. */
    public JournalEntry reversal(String sourceEventId, String reason) {
        return new JournalEntry(tenantId, currency, "reversal:" + businessKey, sourceEventId,
                "reversal of " + businessKey + (reason == null ? "" : ": " + reason),
                lines.stream().map(line -> new Line(line.account(), line.credit(), line.debit())).toList());
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank() || value.length() > 255) {
            throw new IllegalArgumentException(name + " must be 1 to 255 characters");
        }
    }
}
