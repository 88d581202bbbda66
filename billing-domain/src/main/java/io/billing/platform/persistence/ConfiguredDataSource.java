package io.billing.platform.persistence;

import org.eclipse.microprofile.config.ConfigProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The vendor data source behind the container's connection pool, chosen by the configured JDBC URL.
 *
 * <p>{@code @DataSourceDefinition} needs one class name fixed at compile time, but the same WAR must run
 * on PostgreSQL or on the embedded H2 with nothing but environment variables. So the pool is given this
 * class, which reads {@link DatabaseSettings} when the pool creates it and hands every call to the
 * vendor's own simple data source. Pooling, validation and transactions stay with the container.
 *
 * <p>Until the database has answered once, a connection that cannot be made because the database is unreachable
 * (SQLState class 08, or 57P03 while PostgreSQL starts) is tried again for up to {@code billing.db.startup-wait-seconds}:
 * the container opens connections while it deploys the application (EclipseLink logs in, the schema is migrated),
 * and a node started while its database was briefly away would otherwise stay up with nothing deployed (the
 * three-instance test caught a restarted node doing exactly that during its database cut). Once the database has
 * answered, a failure is reported at once, so that a delivery during an outage gets its 503 without waiting.
 */
public class ConfiguredDataSource implements DataSource {

    /** A PostgreSQL socket that stops answering must not hang a writer for ever (pgjdbc's default). */
    private static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 30;
    private static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
    public static final String STARTUP_WAIT_KEY = "billing.db.startup-wait-seconds";
    static final Duration DEFAULT_STARTUP_WAIT = Duration.ofSeconds(60);
    private static final long RETRY_PAUSE_MILLIS = 500;
    private static final Logger LOG = Logger.getLogger(ConfiguredDataSource.class.getName());

    private final DataSource delegate;
    private final String description;
    private final Duration startupWait;
    private volatile boolean answeredOnce;

    public ConfiguredDataSource() {
        this(ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader()));
    }

    private ConfiguredDataSource(org.eclipse.microprofile.config.Config config) {
        this(DatabaseSettings.from(config), Duration.ofSeconds(
                config.getOptionalValue(STARTUP_WAIT_KEY, Integer.class).orElse((int) DEFAULT_STARTUP_WAIT.toSeconds())));
    }

    public ConfiguredDataSource(DatabaseSettings settings) {
        this(settings, DEFAULT_STARTUP_WAIT);
    }

    public ConfiguredDataSource(DatabaseSettings settings, Duration startupWait) {
        this(create(settings), settings.describe(), startupWait);
    }

    ConfiguredDataSource(DataSource delegate, String description, Duration startupWait) {
        if (startupWait.isNegative()) {
            throw new IllegalArgumentException(STARTUP_WAIT_KEY + " must not be negative");
        }
        this.delegate = delegate;
        this.description = description;
        this.startupWait = startupWait;
    }

    static DataSource create(DatabaseSettings settings) {
        if (settings.isPostgres()) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(settings.url());
            pg.setUser(settings.user());
            pg.setPassword(settings.password());
            if (pg.getSocketTimeout() == 0) {
                pg.setSocketTimeout(DEFAULT_SOCKET_TIMEOUT_SECONDS);
            }
            if (!settings.url().contains("connectTimeout")) {
                pg.setConnectTimeout(DEFAULT_CONNECT_TIMEOUT_SECONDS);
            }
            pg.setApplicationName("billing-service");
            return pg;
        }
        if (settings.isH2()) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(settings.url());
            h2.setUser(settings.user());
            h2.setPassword(settings.password());
            return h2;
        }
        throw new IllegalArgumentException("Unsupported database URL " + settings.describe()
                + ": set " + DatabaseSettings.URL_KEY + " to a jdbc:postgresql: or jdbc:h2: URL");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(delegate::getConnection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connect(() -> delegate.getConnection(username, password));
    }

    private interface Opening {
        Connection open() throws SQLException;
    }

    private Connection connect(Opening opening) throws SQLException {
        if (answeredOnce) {
            return opening.open();
        }
        // Wall-clock mechanics, not business time: the application's clock may be frozen in tests.
        long deadline = System.nanoTime() + startupWait.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                Connection connection = opening.open();
                answeredOnce = true;
                return connection;
            } catch (SQLException e) {
                long left = deadline - System.nanoTime();
                if (!isUnreachable(e) || left <= 0) {
                    throw e;
                }
                int tried = attempt;
                LOG.warning(() -> "Database " + description + " unreachable at start (" + e.getSQLState() + ", attempt "
                        + tried + "); trying again for up to " + TimeUnit.NANOSECONDS.toSeconds(left) + " s");
                pause(Math.min(RETRY_PAUSE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1), e);
            }
        }
    }

    /** Connection exceptions (class 08) and PostgreSQL's "the database system is starting up". */
    static boolean isUnreachable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P03"));
    }

    private static void pause(long millis, SQLException cause) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
