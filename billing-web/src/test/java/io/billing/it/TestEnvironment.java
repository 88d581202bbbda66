package io.billing.it;

import io.billing.testsupport.FakeStripeApi;
import io.billing.testsupport.PostgresSchemas;
import io.billing.testsupport.TestPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Everything one integration-test run shares: the database (PostgreSQL behind a {@link TcpProxy}, or the
 * embedded H2), the webhook secrets, the configuration file handed to Payara Micro, and where the service
 * listens once started. Created once per JVM, before Payara Micro starts.
 *
 * <p>Selected by the system property {@code it.db}: {@code postgres} (CI's main run) or {@code embedded}.
 */
public final class TestEnvironment {

    private static final String SCHEMA = "billing_it";

    private static TestEnvironment instance;

    /** The current secret and the one being rotated out: both must be accepted while both are configured. */
    public final String currentSecret = randomSecret();
    public final String previousSecret = randomSecret();
    /** The operator API's admin password for this run. */
    public final String adminPassword = randomSecret();
    /** The tenant API's service token for this run. */
    public final String serviceToken = randomSecret();
    /** The Stripe API key the service presents to the fake Stripe API. */
    public final String stripeApiKey = "sk_test_" + randomSecret();
    /** The secret licence keys are made with. */
    public final String licenceKeySecret = randomSecret();
    /** The key tenants' callback secrets are sealed with in the database: base64 of 32 random bytes. */
    public final String encryptionKey = java.util.Base64.getEncoder().encodeToString(
            HexFormat.of().parseHex(randomSecret().substring("whsec_it".length()) + "0123456789abcdef"));
    /** Stripe's API as the service sees it in tests: a local fake in this JVM. */
    public final FakeStripeApi stripe = new FakeStripeApi(stripeApiKey);
    /** The rating edge and the commerce API, local fakes in this JVM. */
    public final ConnectorFakes connectors = new ConnectorFakes();

    private final boolean postgres;
    private final String directUrl;
    private final String user;
    private final String password;
    private final String serviceDbUrl;
    private final TcpProxy proxy;
    private volatile URI baseUri;

    public static synchronized TestEnvironment get() {
        if (instance == null) {
            instance = new TestEnvironment();
        }
        return instance;
    }

    private TestEnvironment() {
        String db = System.getProperty("it.db", "postgres");
        postgres = db.equals("postgres");
        try {
            if (postgres) {
                TestPostgres.Server server = TestPostgres.server();
                String url = server.url();
                user = server.user();
                password = server.password();
                int proxyPort = Integer.parseInt(System.getProperty("it.proxy.port", "15432"));
                directUrl = PostgresSchemas.withSchema(url, SCHEMA);
                serviceDbUrl = PostgresSchemas.throughPort(url, proxyPort, SCHEMA);
                recreatePostgresSchema(url);
                proxy = new TcpProxy(proxyPort, PostgresSchemas.host(url), PostgresSchemas.port(url));
                proxy.restore();
            } else {
                Path dir = Path.of(System.getProperty("it.h2.dir", "target/it-h2")).toAbsolutePath();
                deleteRecursively(dir);
                user = "billing";
                password = "";
                serviceDbUrl = "jdbc:h2:file:" + dir.resolve("billing")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
                directUrl = serviceDbUrl;
                proxy = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void recreatePostgresSchema(String url) {
        try {
            PostgresSchemas.recreate(url, user, password, SCHEMA);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create schema " + SCHEMA + " on the PostgreSQL at " + url, e);
        }
    }

    /** Writes the service's configuration as a system-properties file for Payara Micro's --systemproperties. */
    Path writeServiceConfiguration() {
        Properties config = new Properties();
        config.setProperty("billing.db.url", serviceDbUrl);
        config.setProperty("billing.db.user", user);
        if (!password.isEmpty()) {
            config.setProperty("billing.db.password", password);
        }
        config.setProperty("stripe.webhook.secrets", currentSecret + "," + previousSecret);
        // Fail fast when the test cuts the database, so the 503 test does not wait for long timeouts.
        config.setProperty("billing.intake.commit-timeout-ms", "4000");
        config.setProperty("billing.admin.password", adminPassword);
        // The tests are the balancer: the login throttle believes their X-Forwarded-For, so a test can be a client
        // of its own instead of sharing the host's count with every other test. The tests reach the service at
        // one of the host's own addresses (Payara names the one it reports), so all of them are trusted.
        config.setProperty("billing.trusted-proxies", hostAddresses());
        // A first delay longer than a password check takes on a busy machine, so the attempt right after the free
        // ones is seen waiting.
        config.setProperty("billing.login.first-delay-seconds", "3");
        config.setProperty("billing.service-token", serviceToken);
        config.setProperty("billing.engine.idle-poll-ms", "100");
        config.setProperty("stripe.api.key", stripeApiKey);
        config.setProperty("stripe.api.base", stripe.baseUrl());
        // A Stripe answer held back longer than this is a timeout: short, so a test sees one (and stripe-java's two
        // retries of it) within seconds.
        config.setProperty("stripe.api.read-timeout-ms", "3000");
        config.setProperty("billing.recovery.interval-seconds", "3600"); // runs once at start; tests run it by hand
        config.setProperty("rating/mp-rest/url", connectors.ratingUrl());
        config.setProperty("commerce/mp-rest/url", connectors.commerceUrl());
        config.setProperty("licence/mp-rest/url", connectors.licenceUrl());
        config.setProperty("billing.callbacks.allow-http", "true"); // the fake tenant endpoints are plain HTTP
        config.setProperty("billing.callbacks.allow-private-networks", "true"); // ... on 127.0.0.1
        config.setProperty("billing.licence.key-secret", licenceKeySecret);
        config.setProperty("billing.encryption.key", encryptionKey);
        // A retry window of seconds, so that a receiver down for all of it is seen within the test.
        config.setProperty("billing.outbox.retry.base-seconds", "1");
        config.setProperty("billing.outbox.retry.factor", "1.0");
        config.setProperty("billing.outbox.retry.cap-seconds", "1");
        config.setProperty("billing.outbox.retry.max-attempts", "3");
        try {
            Path file = Files.createTempFile("billing-it-", ".properties");
            file.toFile().deleteOnExit();
            try (var out = Files.newOutputStream(file)) {
                config.store(out, "billing-service integration test configuration");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hostAddresses() {
        try {
            return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .map(address -> address.getHostAddress().replaceFirst("%.*$", ""))
                    .collect(Collectors.joining(","));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service's log file for this run (Payara Micro's --logtofile), for checks of what it wrote. */
    public Path serviceLog() {
        return Path.of(System.getProperty("it.service-log", "target/it-payara-" + (postgres ? "postgres" : "embedded")
                + ".log")).toAbsolutePath();
    }

    /** Everything the service has logged so far: Payara writes {@code <file>.0}, {@code <file>.1} … as it rotates. */
    public String serviceLogText() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(serviceLog().getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(serviceLog().getFileName().toString()))
                    .sorted().toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** The proxy between the service and PostgreSQL; null on the embedded database. */
    public TcpProxy proxy() {
        return proxy;
    }

    /** A connection that bypasses the proxy, for assertions on what the service stored. */
    public Connection openDatabase() throws SQLException {
        return DriverManager.getConnection(directUrl, user, password);
    }

    void serviceStarted(URI baseUri) {
        this.baseUri = baseUri;
    }

    /** Where the service listens, e.g. {@code http://localhost:8123/}. */
    public URI baseUri() {
        if (baseUri == null) {
            throw new IllegalStateException("the service has not been started");
        }
        return baseUri;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "whsec_it" + HexFormat.of().formatHex(bytes);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
