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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link Ledger} in a unit of work: reads are JPQL on its EntityManager, and a posting is SQL on the same
 * transaction's connection, which is the unit's (the EntityManager's own): on PostgreSQL one statement (the entries'
 * claims and their lines together, however many entries an event posts), on H2 two per entry (the entry, then its
 * lines); when claims find facts posted, one more for all of them to see whose they are.
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

    /** The claim of entries' headers, one row of {@link #ENTRY_VALUES} per entry in its {@code VALUES}. */
    private static final String CLAIM_ENTRIES_SQL = """
            INSERT INTO journal_entry (tenant_id, currency, business_key, source_event_id, description, posted_at,
                                       object_id)
            VALUES %s ON CONFLICT DO NOTHING""";
    private static final String ENTRY_VALUES = "(?, ?, ?, ?, ?, ?, ?)";
    private static final String CLAIM_SQL = CLAIM_ENTRIES_SQL.formatted(ENTRY_VALUES);
    /**
     * PostgreSQL: the claims of every entry and their lines in one statement, one round trip; it answers with the
     * business keys it inserted. The lines take the id of the entry their key's claim inserted, so an entry whose
     * fact was posted before inserts no line either.
     */
    private static final String POST_POSTGRESQL = """
            WITH entry AS (%s RETURNING entry_id, tenant_id, currency, business_key),
            line AS (
              INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit, credit)
              SELECT entry.entry_id, line.line_no, entry.tenant_id, entry.currency, line.account, line.debit,
                     line.credit
              FROM entry JOIN (VALUES %s) AS line (business_key, line_no, account, debit, credit)
                ON line.business_key = entry.business_key)
            SELECT business_key FROM entry""";
    private static final String POST_LINE_VALUES = "(CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS VARCHAR(32)),"
            + " CAST(? AS BIGINT), CAST(? AS BIGINT))";
    private static final String LINES_SQL =
            "INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit, credit) VALUES ";
    private static final String LINE_VALUES = "(?, ?, ?, ?, ?, ?, ?)";
    /** The tenants whose ledgers hold facts: this tenant's, another's, or (copies an earlier version posted) both. */
    private static final String HOLDERS_SQL =
            "SELECT business_key, tenant_id FROM journal_entry WHERE business_key IN (%s)";

    private final EntityManager entityManager;

    /** @param entityManager the unit of work's; postings need its transaction to be active */
    public JpaLedger(EntityManager entityManager) {
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
    }

    @Override
    public boolean post(JournalEntry entry, Instant postedAt) {
        return postAll(List.of(entry), postedAt).contains(entry.businessKey());
    }

    @Override
    public Set<String> postAll(List<JournalEntry> entries, Instant postedAt) {
        if (entries.isEmpty()) {
            return Set.of();
        }
        List<String> keys = entries.stream().map(JournalEntry::businessKey).toList();
        if (new HashSet<>(keys).size() < keys.size()) {
            // The statement finds each entry's lines by its key: two entries of one fact would share them.
            throw new IllegalArgumentException("one entry per fact in a posting: " + keys);
        }
        // The transaction's connection, as the unit of work hands it out: what is written here commits with the
        // event's entities and its other statements, or not at all.
        Connection connection = entityManager.unwrap(Connection.class);
        try {
            Set<String> posted = postgres(connection) ? postInOneStatement(connection, entries, postedAt)
                    : postEach(connection, entries, postedAt);
            requirePostedForSameTenant(connection,
                    entries.stream().filter(entry -> !posted.contains(entry.businessKey())).toList());
            return posted;
        } catch (SQLException e) {
            throw new PersistenceException("could not post " + keys + " for " + entries.get(0).tenantId(), e);
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

    /** PostgreSQL: inserts each entry and its lines unless its fact was posted before; the keys it inserted. */
    private static Set<String> postInOneStatement(Connection connection, List<JournalEntry> entries, Instant postedAt)
            throws SQLException {
        int lineCount = entries.stream().mapToInt(entry -> entry.lines().size()).sum();
        String sql = POST_POSTGRESQL.formatted(
                CLAIM_ENTRIES_SQL.formatted(String.join(", ", Collections.nCopies(entries.size(), ENTRY_VALUES))),
                String.join(", ", Collections.nCopies(lineCount, POST_LINE_VALUES)));
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int at = 0;
            for (JournalEntry entry : entries) {
                at = bindEntry(insert, at, entry, postedAt);
            }
            for (JournalEntry entry : entries) {
                int lineNo = 1;
                for (JournalEntry.Line line : entry.lines()) {
                    insert.setString(++at, entry.businessKey());
                    insert.setInt(++at, lineNo++);
                    insert.setString(++at, line.account().name());
                    insert.setLong(++at, line.debit());
                    insert.setLong(++at, line.credit());
                }
            }
            Set<String> posted = new HashSet<>();
            try (ResultSet keys = insert.executeQuery()) {
                while (keys.next()) {
                    posted.add(keys.getString(1));
                }
            }
            return posted;
        }
    }

    /** H2: each entry's claim, then its lines; the keys it inserted. */
    private static Set<String> postEach(Connection connection, List<JournalEntry> entries, Instant postedAt)
            throws SQLException {
        Set<String> posted = new HashSet<>();
        for (JournalEntry entry : entries) {
            Long entryId = claim(connection, entry, postedAt);
            if (entryId != null) {
                insertLines(connection, entryId, entry);
                posted.add(entry.businessKey());
            }
        }
        return posted;
    }

    /** Binds the entry's header to the parameters after {@code at}; the last parameter bound. */
    private static int bindEntry(PreparedStatement insert, int at, JournalEntry entry, Instant postedAt)
            throws SQLException {
        insert.setString(++at, entry.tenantId());
        insert.setString(++at, entry.currency().getCurrencyCode());
        insert.setString(++at, entry.businessKey());
        insert.setString(++at, entry.sourceEventId());
        insert.setString(++at, entry.description());
        insert.setTimestamp(++at, Timestamp.from(postedAt));
        insert.setString(++at, entry.objectId());
        return at;
    }

    /** Inserts the entry's header unless its fact was posted before: the new entry's id, or null. */
    private static Long claim(Connection connection, JournalEntry entry, Instant postedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(CLAIM_SQL, new String[] {"entry_id"})) {
            bindEntry(insert, 0, entry, postedAt);
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
     * These entries' claims inserted nothing: each fact is in this tenant's ledger already, which is what idempotency
     * is for, or in another tenant's, which the database refused (see the class comment) and the ledger refuses too.
     * One look for all of them: the second of an invoice's two paid events finds both its facts posted.
     */
    private static void requirePostedForSameTenant(Connection connection, List<JournalEntry> notPosted)
            throws SQLException {
        if (notPosted.isEmpty()) {
            return;
        }
        Map<String, List<String>> holders = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                HOLDERS_SQL.formatted(String.join(", ", Collections.nCopies(notPosted.size(), "?"))))) {
            for (int i = 0; i < notPosted.size(); i++) {
                query.setString(i + 1, notPosted.get(i).businessKey());
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    holders.computeIfAbsent(rows.getString(1), key -> new ArrayList<>()).add(rows.getString(2));
                }
            }
        }
        for (JournalEntry entry : notPosted) {
            List<String> factHolders = holders.getOrDefault(entry.businessKey(), List.of());
            if (!factHolders.contains(entry.tenantId())) {
                throw new CrossTenantPostingException(entry.businessKey(), entry.tenantId(), factHolders);
            }
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
