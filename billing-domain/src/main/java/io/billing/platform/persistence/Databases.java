package io.billing.platform.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Which database a connection talks to. The service runs on PostgreSQL or on the embedded H2; where they differ
 * (set-based statements with arrays, triggers, time functions, index options), the code asks here.
 */
public final class Databases {

    private Databases() {
    }

    /** Whether the connection is to PostgreSQL; otherwise it is to H2. */
    public static boolean isPostgres(Connection connection) throws SQLException {
        return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    }
}
