package io.billing.ledger;

import io.billing.platform.persistence.Databases;
import io.billing.tenant.TenantId;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link Ledger} in a unit of work: reads are JPQL on its EntityManager, and a posting is SQL on the same
 * transaction's connection, which is the unit's (the EntityManager's own): on PostgreSQL one statement (the entry's
 * claim and its lines together), on H2 two (the entry, then its lines); when the claim finds the fact posted, one
 * more to see whose it was.
 *
 * <p>Why a posting is not {@code persist}:
 * <ul>
 *   <li>The entry's header must be claimed with {@code INSERT … ON CONFLICT DO NOTHING}, which JPA cannot say.
 *       Persisting it and catching the unique violation would abort PostgreSQL's transaction, and the engine's
 *       whole batch of events with it. The unique constraint {@code uq_journal_entry_fact} decides, in the same
 *       statement, whether the fact is new: no SELECT first (a per-posting existence check, whose server-prepared
 *       plan PostgreSQL made while the journal was empty, made the engine five times slower). A concurrent claim of
 *       the same fact waits for the first one's transaction, then does nothing. It is JDBC rather than a native
 *       query because a native query cannot hand back the generated entry id on both databases (H2, the embedded
 *       default, has no {@code RETURNING}).</li>
 *   <li>The lines go as one statement of several rows. Persisted as entities, EclipseLink (unwoven, so with
 *       deferred change detection) builds and binds each line's insert and then compares every line still managed at
 *       each of the engine's flushes (one per handler of each event of a batch): in the drain benchmark the engine
 *       spent about a third more CPU per event and drained 20 to 30% fewer events a second. One statement rather than
 *       a JDBC batch because H2 checks that an entry balances at the end of each statement that writes its lines
 *       (PostgreSQL at the commit; see {@code V42__ledger_guards}), and runs a batch statement by statement.</li>
 * </ul>
 * The claim stops at either unique key of the journal: the tenant's ({@code uq_journal_entry_fact}: the fact was
 * posted for this tenant before, so nothing is to be done) and the fact's ({@code uq_journal_entry_source}: another
 * tenant's ledger holds it). Only when it inserted nothing does the ledger look which one it was, by the fact's key,
 * and it refuses the posting in the second case ({@link CrossTenantPostingException}) instead of passing over it.
 * What a posting writes is read back as {@link PostedEntry} and {@link PostedLine}, immutable entities.
 */
public final class JpaLedger implements Ledger {

    private static final String CLAIM_SQL = """
            INSERT INTO journal_entry (tenant_id, currency, business_key, source_event_id, description, posted_at,
                                       object_id)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    /**
     * PostgreSQL: the claim and the lines in one statement, one round trip. The lines take the id of the entry the
     * claim inserted, so a claim that inserted nothing inserts no line either (the statement's count is then 0).
     */
    private static final String POST_POSTGRESQL = """
            WITH entry AS (%s RETURNING entry_id, tenant_id, currency)
            INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit, credit)
            SELECT entry.entry_id, line.line_no, entry.tenant_id, entry.currency, line.account, line.debit, line.credit
            FROM entry, (VALUES %s) AS line (line_no, account, debit, credit)""";
    private static final String POST_LINE_VALUES = "(CAST(? AS INTEGER), CAST(? AS VARCHAR(32)), CAST(? AS BIGINT),"
            + " CAST(? AS BIGINT))";
    private static final String LINES_SQL =
            "INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit, credit) VALUES ";
    private static final String LINE_VALUES = "(?, ?, ?, ?, ?, ?, ?)";
    /** The tenants whose ledgers hold a fact: this tenant's, another's, or (copies an earlier version posted) both. */
    private static final String HOLDERS_SQL = "SELECT tenant_id FROM journal_entry WHERE business_key = ?";

    private final EntityManager entityManager;

    /** @param entityManager the unit of work's; postings need its transaction to be active */
    public JpaLedger(EntityManager entityManager) {
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
    }

    @Override
    public boolean post(JournalEntry entry, Instant postedAt) {
        // The transaction's connection, as the unit of work hands it out: what is written here commits with the
        // event's entities and its other statements, or not at all.
        Connection connection = entityManager.unwrap(Connection.class);
        try {
            if (postgres(connection)) {
                if (!postInOneStatement(connection, entry, postedAt)) {
                    requirePostedForSameTenant(connection, entry);
                    return false;
                }
                return true;
            }
            Long entryId = claim(connection, entry, postedAt);
            if (entryId == null) {
                requirePostedForSameTenant(connection, entry);
                return false;
            }
            insertLines(connection, entryId, entry);
            return true;
        } catch (SQLException e) {
            throw new PersistenceException("could not post " + entry.businessKey() + " for " + entry.tenantId(), e);
        }
    }

    @Override
    public Optional<PostedEntry> entry(TenantId tenant, String businessKey) {
        return entityManager.createNamedQuery(PostedEntry.BY_KEY, PostedEntry.class)
                .setParameter("tenant", tenant)
                .setParameter("businessKey", businessKey)
                .getResultStream().findFirst();
    }

    private static boolean postgres(Connection connection) throws SQLException {
        return Databases.isPostgres(connection);
    }

    /** PostgreSQL: inserts the entry and its lines unless its fact was posted before; true if it inserted them. */
    private static boolean postInOneStatement(Connection connection, JournalEntry entry, Instant postedAt)
            throws SQLException {
        List<JournalEntry.Line> lines = entry.lines();
        String sql = POST_POSTGRESQL.formatted(CLAIM_SQL,
                String.join(", ", Collections.nCopies(lines.size(), POST_LINE_VALUES)));
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int at = bindEntry(insert, entry, postedAt);
            int lineNo = 1;
            for (JournalEntry.Line line : lines) {
                insert.setInt(++at, lineNo++);
                insert.setString(++at, line.account().name());
                insert.setLong(++at, line.debit());
                insert.setLong(++at, line.credit());
            }
            return insert.executeUpdate() > 0;
        }
    }

    /** Binds the entry's header to the claim's first parameters; the number of parameters bound. */
    private static int bindEntry(PreparedStatement insert, JournalEntry entry, Instant postedAt) throws SQLException {
        insert.setString(1, entry.tenantId());
        insert.setString(2, entry.currency().getCurrencyCode());
        insert.setString(3, entry.businessKey());
        insert.setString(4, entry.sourceEventId());
        insert.setString(5, entry.description());
        insert.setTimestamp(6, Timestamp.from(postedAt));
        insert.setString(7, entry.objectId());
        return 7;
    }

    /** Inserts the entry's header unless its fact was posted before: the new entry's id, or null. */
    private static Long claim(Connection connection, JournalEntry entry, Instant postedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(CLAIM_SQL, new String[] {"entry_id"})) {
            bindEntry(insert, entry, postedAt);
            if (insert.executeUpdate() == 0) {
                return null;
            }
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * The claim inserted nothing: the fact is in this tenant's ledger already, which is what idempotency is for, or in
     * another tenant's, which the database refused (see the class comment) and the ledger refuses too.
     */
    private static void requirePostedForSameTenant(Connection connection, JournalEntry entry) throws SQLException {
        List<String> holders = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(HOLDERS_SQL)) {
            query.setString(1, entry.businessKey());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    holders.add(rows.getString(1));
                }
            }
        }
        if (!holders.contains(entry.tenantId())) {
            throw new CrossTenantPostingException(entry.businessKey(), entry.tenantId(), holders);
        }
    }

    private static void insertLines(Connection connection, long entryId, JournalEntry entry) throws SQLException {
        List<JournalEntry.Line> lines = entry.lines();
        String sql = LINES_SQL + String.join(", ", Collections.nCopies(lines.size(), LINE_VALUES));
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int at = 0;
            int lineNo = 1;
            for (JournalEntry.Line line : lines) {
                insert.setLong(++at, entryId);
                insert.setInt(++at, lineNo++);
                insert.setString(++at, entry.tenantId());
                insert.setString(++at, entry.currency().getCurrencyCode());
                insert.setString(++at, line.account().name());
                insert.setLong(++at, line.debit());
                insert.setLong(++at, line.credit());
            }
            insert.executeUpdate();
        }
    }
}
