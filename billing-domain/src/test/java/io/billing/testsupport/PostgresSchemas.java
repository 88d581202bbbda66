package io.billing.testsupport;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one way tests and benchmarks give themselves a PostgreSQL schema of their own on the shared server: a JDBC URL
 * whose connections use that schema (directly, or through a proxy the test controls), and the schema dropped and
 * created afresh for a clean run.
 */
public final class PostgresSchemas {

    private static final int DEFAULT_PORT = 5432;

    private PostgresSchemas() {
    }

    /** {@code jdbcUrl} with {@code schema} as the connections' current schema, whatever parameters it had. */
    public static String withSchema(String jdbcUrl, String schema) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The database of {@code jdbcUrl} reached at 127.0.0.1:{@code port} (a proxy in front of it), in {@code schema}. */
    public static String throughPort(String jdbcUrl, int port, String schema) {
        return withSchema("jdbc:postgresql://127.0.0.1:" + port + address(jdbcUrl).getPath(), schema);
    }

    /** The host of the server {@code jdbcUrl} names. */
    public static String host(String jdbcUrl) {
        return address(jdbcUrl).getHost();
    }

    /** The port of the server {@code jdbcUrl} names (5432 when it names none). */
    public static int port(String jdbcUrl) {
        int port = address(jdbcUrl).getPort();
        return port < 0 ? DEFAULT_PORT : port;
    }

    /** Drops {@code schema} with everything in it and creates it empty. */
    public static void recreate(String jdbcUrl, String user, String password, String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            recreate(connection, schema);
        }
    }

    /** As {@link #recreate(String, String, String, String)}, on a connection the caller opened. */
    public static void recreate(Connection connection, String schema) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            statement.execute("CREATE SCHEMA " + schema);
        }
    }

    private static URI address(String jdbcUrl) {
        return URI.create(jdbcUrl.substring("jdbc:".length()));
    }
}
