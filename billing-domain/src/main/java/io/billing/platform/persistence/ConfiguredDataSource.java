package io.billing.platform.persistence;

import org.eclipse.microprofile.config.ConfigProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The vendor data source behind the container's connection pool, chosen by the configured JDBC URL.
 *
 * <p>{@code @DataSourceDefinition} needs one class name fixed at compile time, but the same WAR must run
 * on PostgreSQL or on the embedded H2 with nothing but environment variables. So the pool is given this
 * class, which reads {@link DatabaseSettings} when the pool creates it and hands every call to the
 * vendor's own simple data source. Pooling, validation and transactions stay with the container.
 */
public class ConfiguredDataSource implements DataSource {

    /** A PostgreSQL socket that stops answering must not hang a writer for ever (pgjdbc's default). */
    private static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 30;
    private static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;

    private final DataSource delegate;

    public ConfiguredDataSource() {
        this(DatabaseSettings.from(ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader())));
    }

    public ConfiguredDataSource(DatabaseSettings settings) {
        this.delegate = create(settings);
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
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return delegate.getConnection(username, password);
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
