package io.billing.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Posts journal entries in the caller's transaction (a handler's, so the posting commits with the event
 * that caused it). Posting is idempotent by (tenant, business key): the second posting of a fact is a
 * no-op that reports false, which is how one payment is revenue once whichever of its events arrive.
 */
public final class LedgerPosting {

    private static final String ENTRY_SQL = """
            INSERT INTO journal_entry (tenant_id, currency, business_key, source_event_id, description, posted_at,
                                       object_id)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String LINE_SQL = """
            INSERT INTO journal_line (entry_id, line_no, tenant_id, currency, account, debit, credit)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    /** The Stripe object a fact is about: its business key after the kind ({@code in_…} of {@code invoice_paid:in_…}). */
    public static String objectOf(String businessKey) {
        return businessKey.substring(businessKey.indexOf(':') + 1);
    }

    /** Posts the entry unless its fact was posted before. Returns true if it was posted now. */
    public boolean post(Connection connection, JournalEntry entry, Instant now) throws SQLException {
        long entryId;
        try (PreparedStatement insert = connection.prepareStatement(ENTRY_SQL, new String[] {"entry_id"})) {
            insert.setString(1, entry.tenantId());
            insert.setString(2, entry.currency().getCurrencyCode());
            insert.setString(3, entry.businessKey());
            insert.setString(4, entry.sourceEventId());
            insert.setString(5, entry.description());
            insert.setTimestamp(6, Timestamp.from(now));
            insert.setString(7, objectOf(entry.businessKey()));
            if (insert.executeUpdate() == 0) {
                return false;
            }
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                entryId = keys.getLong(1);
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(LINE_SQL)) {
            int lineNo = 1;
            for (JournalEntry.Line line : entry.lines()) {
                insert.setLong(1, entryId);
                insert.setInt(2, lineNo++);
                insert.setString(3, entry.tenantId());
                insert.setString(4, entry.currency().getCurrencyCode());
                insert.setString(5, line.account().name());
                insert.setLong(6, line.debit());
                insert.setLong(7, line.credit());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return true;
    }
}
