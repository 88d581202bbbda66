package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.util.List;

/**
 * On PostgreSQL, status changes of the inbox are counted per statement instead of per row.
 *
 * <p>The row trigger of {@code V75} wrote two delta rows for every status change, and the processing engine changes
 * each event's status twice (claimed, then settled): four inserts into {@code inbox_status_delta} per event, about a
 * third of what PostgreSQL spent on the engine's updates of the inbox. The engine now claims and settles a batch of
 * events with one statement each, and this statement trigger, over the statement's transition tables, writes one delta
 * row per status the statement changed: two rows per claimed batch, two per settled batch.
 *
 * <p>A transition table cannot be limited to some columns, so the trigger runs for every update of the inbox, a status
 * change or not; for an update that changes no status (a redelivery counted, a body removed by data retention) it
 * joins the statement's rows and inserts nothing. The trigger is replaced in one transaction: a status change commits
 * either before it (counted by the row trigger) or after (counted by this one), never by both or by neither. H2 keeps
 * its row trigger ({@code io.billing.inbox.database.StatusCountTrigger}).
 */
public class V78__inbox_status_counts_per_statement extends BaseJavaMigration {

    private static final List<String> POSTGRESQL = List.of("""
            CREATE FUNCTION count_inbox_status_changes() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT
            AS $$
            BEGIN
                INSERT INTO inbox_status_delta (status, events)
                SELECT status, SUM(events) FROM (
                    SELECT b.status, -1 AS events FROM before_update b JOIN after_update a ON a.event_id = b.event_id
                    WHERE a.status IS DISTINCT FROM b.status
                    UNION ALL
                    SELECT a.status, 1 FROM before_update b JOIN after_update a ON a.event_id = b.event_id
                    WHERE a.status IS DISTINCT FROM b.status
                ) changes
                GROUP BY status HAVING SUM(events) <> 0;
                RETURN NULL;
            END
            $$""",
            "DROP TRIGGER trg_inbox_event_count_status ON inbox_event",
            "DROP FUNCTION count_inbox_status_change()",
            """
            CREATE TRIGGER trg_inbox_event_count_statuses AFTER UPDATE ON inbox_event
                REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
                FOR EACH STATEMENT EXECUTE FUNCTION count_inbox_status_changes()""");

    @Override
    public void migrate(Context context) throws Exception {
        MigrationStatements.run(context, List.of(), POSTGRESQL, List.of());
    }
}
