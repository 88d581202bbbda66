package io.billing.ledger.database;

import io.billing.platform.persistence.TriggerColumns;
import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * H2's check that every journal entry balances, the nearest H2 comes to PostgreSQL's constraint trigger deferred to
 * the commit: H2 has neither deferred constraints nor a hook at commit, so the check runs at the end of each
 * {@code INSERT} statement on {@code journal_line} instead. Every entry that statement gave lines must then have
 * lines, all of them in the entry's tenant and currency, and as many debits as credits. The ledger writes an
 * entry's lines in one statement, so that holds at the end of it; lines written one statement each (a JDBC batch,
 * which H2 runs statement by statement) are refused at the first.
 *
 * <p>One class, created as three triggers on {@code journal_line}: before each {@code INSERT} statement (it forgets
 * what a failed statement left), after each row (it reads the row's entry with every line it has so far, and notes
 * what is wrong with it, if anything) and after each statement (it refuses the statement if the last note of any of
 * its entries says something is wrong). The reading happens in the row trigger because H2 lets a statement trigger
 * run no query of its own in auto-commit mode; the last row of an entry sees all of the statement's lines of it. H2
 * runs a statement and its triggers on the thread that executes it, so the notes are the thread's own.
 *
 * <p>What differs from PostgreSQL: an entry committed without any line is not refused (it moves no balance), and a
 * check happens per statement rather than once at the commit.
 */
public final class BalancedEntriesTrigger implements Trigger {

    /** SQLSTATE {@code check_violation}, the state PostgreSQL's trigger raises too. */
    public static final String CHECK_VIOLATION = "23514";

    /** Per entry the statement gave lines: what is wrong with it as its latest line left it, or null. */
    private static final ThreadLocal<Map<Long, String>> NOTED = ThreadLocal.withInitial(LinkedHashMap::new);

    /** The entry's key, its lines' sums, and how many of its lines are of another tenant or currency. */
    private static final String ENTRY_SQL = """
            SELECT e.business_key, SUM(l.debit), SUM(l.credit),
                   SUM(CASE WHEN l.tenant_id <> e.tenant_id OR l.currency <> e.currency THEN 1 ELSE 0 END)
            FROM journal_entry e JOIN journal_line l ON l.entry_id = e.entry_id
            WHERE e.entry_id = ? GROUP BY e.business_key""";

    private boolean before;
    private int entryIdColumn;

    @Override
    public void init(Connection connection, String schemaName, String triggerName, String tableName, boolean before,
                     int type) throws SQLException {
        this.before = before;
        this.entryIdColumn = TriggerColumns.index(connection, schemaName, tableName, "entry_id");
    }

    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        Map<Long, String> noted = NOTED.get();
        if (newRow != null) {
            long entryId = ((Number) newRow[entryIdColumn]).longValue();
            noted.put(entryId, problemOf(connection, entryId));
        } else if (before) {
            noted.clear();
        } else {
            try {
                for (String problem : noted.values()) {
                    if (problem != null) {
                        throw new SQLException(problem, CHECK_VIOLATION);
                    }
                }
            } finally {
                noted.clear();
            }
        }
    }

    /** What is wrong with the entry as its lines stand now, or null. */
    private static String problemOf(Connection connection, long entryId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(ENTRY_SQL)) {
            query.setLong(1, entryId);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return null; // no such entry: the foreign key refuses the line
                }
                String problem = problem(row.getLong(2), row.getLong(3), row.getLong(4));
                return problem == null ? null : "journal entry " + entryId + " (" + row.getString(1) + ") " + problem;
            }
        }
    }

    /** What is wrong with an entry's lines (it has some: this statement wrote them), or null when it balances. */
    private static String problem(long debits, long credits, long foreignLines) {
        if (foreignLines > 0) {
            return "has " + foreignLines + " line(s) of another tenant or currency than its own";
        }
        if (debits != credits) {
            return "does not balance: debits " + debits + ", credits " + credits;
        }
        return null;
    }
}
