package db.migration;

import io.billing.platform.persistence.Databases;
import io.billing.platform.persistence.SchemaMigration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.migration.Context;

/** What the Java migrations share: statements run in order, some for one database only, and index builds' option. */
final class MigrationStatements {

    private MigrationStatements() {
    }

    /** Runs {@code common}, then {@code postgresql} or {@code h2}, whichever database the migration runs on. */
    static void run(Context context, List<String> common, List<String> postgresql, List<String> h2)
            throws SQLException {
        Connection connection = context.getConnection();
        boolean postgres = Databases.isPostgres(connection);
        try (Statement statement = connection.createStatement()) {
            for (String sql : common) {
                statement.execute(sql);
            }
            for (String sql : postgres ? postgresql : h2) {
                statement.execute(sql);
            }
        }
    }

    /**
     * The option an index build or drop takes, between spaces: {@code CONCURRENTLY} when the migration's placeholder
     * says so ({@link SchemaMigration#CONCURRENTLY}: on PostgreSQL, for a schema in use), otherwise nothing.
     */
    static String concurrently(Context context) {
        String concurrently = context.getConfiguration().getPlaceholders()
                .getOrDefault(SchemaMigration.CONCURRENTLY, "");
        return concurrently.isEmpty() ? " " : " " + concurrently + " ";
    }
}
