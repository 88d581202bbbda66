package io.billing.ledger;

import io.billing.tenant.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinColumns;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.OneToMany;
import jakarta.persistence.PreRemove;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;

/**
 * A journal entry as the ledger holds it: a {@link JournalEntry} that balanced, posted under its business key at a
 * time, with its lines. Immutable: the ledger is append-only, a correction is a reversing entry. So there are no
 * setters, every column is mapped {@code updatable = false}, and an update or removal that reaches JPA anyway
 * (a field changed by reflection, {@code remove}) fails at the flush rather than being dropped in silence.
 *
 * <p>Only {@link JpaLedger#post} writes an entry, from a {@link JournalEntry} whose constructor checked that its
 * debits equal its credits; JPA makes instances only to load them (the protected no-argument constructor).
 */
@Entity
@Table(name = "journal_entry")
// The indexes named are those PostgreSQL chose for each query's SQL on 500,000 entries of 1,000 tenants.
@NamedQueries({
        // uq_journal_entry_fact (tenant_id, business_key), then pk_journal_line (entry_id, line_no)
        @NamedQuery(name = PostedEntry.BY_KEY, query = "SELECT e FROM PostedEntry e LEFT JOIN FETCH e.lines"
                + " WHERE e.tenant = :tenant AND e.businessKey = :businessKey"),
        // ix_journal_entry_tenant (tenant_id, posted_at)
        @NamedQuery(name = PostedEntry.COUNT, query = "SELECT COUNT(e) FROM PostedEntry e WHERE e.tenant = :tenant"),
        // ix_journal_entry_tenant, then the tenant's entries sorted: the journal page's plan before JPA too
        @NamedQuery(name = PostedEntry.NEWEST_IDS, query = "SELECT e.id FROM PostedEntry e WHERE e.tenant = :tenant"
                + " ORDER BY e.id DESC"),
        // pk_journal_entry for a page's entries, then pk_journal_line for their lines
        @NamedQuery(name = PostedEntry.WITH_LINES, query = "SELECT e FROM PostedEntry e LEFT JOIN FETCH e.lines"
                + " WHERE e.tenant = :tenant AND e.id IN :ids")
})
public class PostedEntry {

    static final String BY_KEY = "PostedEntry.byKey";
    static final String COUNT = "PostedEntry.count";
    static final String NEWEST_IDS = "PostedEntry.newestIds";
    static final String WITH_LINES = "PostedEntry.withLines";

    /** Given by the database when the entry is claimed ({@link JpaLedger#post}); JPA never inserts an entry. */
    @Id
    @Column(name = "entry_id", updatable = false)
    private Long id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private TenantId tenant;

    @Convert(converter = CurrencyConverter.class)
    @Column(name = "currency", nullable = false, updatable = false)
    private Currency currency;

    @Column(name = "business_key", nullable = false, updatable = false)
    private String businessKey;

    @Column(name = "source_event_id", updatable = false)
    private String sourceEventId;

    @Column(name = "description", updatable = false)
    private String description;

    /** A JPA 3.1 temporal type ({@code Instant} is not one before 3.2); {@link #postedAt()} hands out the instant. */
    @Column(name = "posted_at", nullable = false, updatable = false)
    private OffsetDateTime postedAt;

    @Column(name = "object_id", updatable = false)
    private String objectId;

    /**
     * Joined on the entry and the tenant, so that even loading an entry's lines names the tenant. Read-only: the
     * posting writes the lines with their entry.
     */
    @OneToMany(fetch = FetchType.LAZY)
    @JoinColumns({
            @JoinColumn(name = "entry_id", referencedColumnName = "entry_id", insertable = false, updatable = false),
            @JoinColumn(name = "tenant_id", referencedColumnName = "tenant_id", insertable = false, updatable = false)
    })
    private List<PostedLine> lines;

    /** For JPA only. */
    protected PostedEntry() {
    }

    public long id() {
        return id;
    }

    public TenantId tenant() {
        return tenant;
    }

    public Currency currency() {
        return currency;
    }

    /** The fact the entry records, once per tenant: {@code invoice_paid:in_…}. */
    public String businessKey() {
        return businessKey;
    }

    /** The Stripe event that caused the entry. */
    public String sourceEventId() {
        return sourceEventId;
    }

    public String description() {
        return description;
    }

    public Instant postedAt() {
        return postedAt.toInstant();
    }

    /** The Stripe object the fact is about ({@link JournalEntry#objectId()}). */
    public String objectId() {
        return objectId;
    }

    /** The lines in their order. */
    public List<PostedLine> lines() {
        return lines.stream().sorted(Comparator.comparingInt(PostedLine::lineNo)).toList();
    }

    @PreUpdate
    void refuseUpdate() {
        throw new IllegalStateException("journal entry " + businessKey + " of " + tenant
                + " is posted and never changes: post a reversing entry instead");
    }

    @PreRemove
    void refuseRemoval() {
        throw new IllegalStateException("journal entry " + businessKey + " of " + tenant
                + " is posted and never removed: post a reversing entry instead");
    }
}
