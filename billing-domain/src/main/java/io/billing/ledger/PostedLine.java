package io.billing.ledger;

import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.PreRemove;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Currency;
import java.util.Objects;

/**
 * One line of a {@link PostedEntry}: an amount on the debit or the credit side of an account, in the entry's
 * currency. Immutable like its entry (no setters, columns not updatable, an update or removal fails at the
 * flush). Its row is written only by {@link JpaLedger#post}, from a line of a balanced {@link JournalEntry}; JPA
 * makes instances only to load them.
 *
 * <p>The amounts are kept as the minor units of the {@code debit} and {@code credit} columns beside the line's
 * currency, and handed out as {@link Money}.
 */
@Entity
@Table(name = "journal_line")
@IdClass(PostedLine.Key.class)
// ix_journal_line_balance (tenant_id, currency, account), as PostgreSQL chose it on 1,000,000 lines of 1,000 tenants
@NamedQuery(name = PostedLine.BALANCES, query = "SELECT l.currency, l.account, SUM(l.debit), SUM(l.credit)"
        + " FROM PostedLine l WHERE l.tenant = :tenant GROUP BY l.currency, l.account")
public class PostedLine {

    static final String BALANCES = "PostedLine.balances";

    /** The primary key: the entry and the line's number in it, from 1. */
    public static class Key implements Serializable {
        private long entryId;
        private int lineNo;

        public Key() {
        }

        public Key(long entryId, int lineNo) {
            this.entryId = entryId;
            this.lineNo = lineNo;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.entryId == entryId && key.lineNo == lineNo;
        }

        @Override
        public int hashCode() {
            return Objects.hash(entryId, lineNo);
        }
    }

    @Id
    @Column(name = "entry_id", updatable = false)
    private long entryId;

    @Id
    @Column(name = "line_no", updatable = false)
    private int lineNo;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private TenantId tenant;

    @Convert(converter = CurrencyConverter.class)
    @Column(name = "currency", nullable = false, updatable = false)
    private Currency currency;

    @Enumerated(EnumType.STRING)
    @Column(name = "account", nullable = false, updatable = false)
    private LedgerAccount account;

    /** Minor units of {@link #currency}; zero on a credit line. */
    @Column(name = "debit", nullable = false, updatable = false)
    private long debit;

    /** Minor units of {@link #currency}; zero on a debit line. */
    @Column(name = "credit", nullable = false, updatable = false)
    private long credit;

    /** For JPA only. */
    protected PostedLine() {
    }

    public long entryId() {
        return entryId;
    }

    public int lineNo() {
        return lineNo;
    }

    public TenantId tenant() {
        return tenant;
    }

    public LedgerAccount account() {
        return account;
    }

    public Money debit() {
        return new Money(debit, currency);
    }

    public Money credit() {
        return new Money(credit, currency);
    }

    @PreUpdate
    void refuseUpdate() {
        throw new IllegalStateException("line " + lineNo + " of journal entry " + entryId
                + " is posted and never changes: post a reversing entry instead");
    }

    @PreRemove
    void refuseRemoval() {
        throw new IllegalStateException("line " + lineNo + " of journal entry " + entryId
                + " is posted and never removed: post a reversing entry instead");
    }
}
