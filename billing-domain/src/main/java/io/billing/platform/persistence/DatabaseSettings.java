package io.billing.platform.persistence;

import org.eclipse.microprofile.config.Config;

/**
 * Where the database is, read from MicroProfile Config ({@code BILLING_DB_URL}, {@code BILLING_DB_USER},
 * {@code BILLING_DB_PASSWORD} in the environment).
 *
 * @param url      JDBC URL; without one, the embedded H2 database under {@code ~/.billing-service/}
 * @param user     database user
 * @param password database password, may be empty (never logged)
 */
public record DatabaseSettings(String url, String user, String password) {

    public static final String URL_KEY = "billing.db.url";
    public static final String USER_KEY = "billing.db.user";
    public static final String PASSWORD_KEY = "billing.db.password";

    /**
     * The embedded default: H2 in PostgreSQL mode so one SQL dialect serves both, its files kept in the
     * user's home across restarts, with AUTO_SERVER so an operator's console can open it while it runs.
     */
    public static final String EMBEDDED_URL =
            "jdbc:h2:file:~/.billing-service/h2/billing;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
    public static final String DEFAULT_USER = "billing";

    public static DatabaseSettings from(Config config) {
        return new DatabaseSettings(
                config.getOptionalValue(URL_KEY, String.class).orElse(EMBEDDED_URL),
                config.getOptionalValue(USER_KEY, String.class).orElse(DEFAULT_USER),
                config.getOptionalValue(PASSWORD_KEY, String.class).orElse(""));
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    public boolean isH2() {
        return url.startsWith("jdbc:h2:");
    }

    /** The URL without credentials or parameters, fit for a log line. */
    public String describe() {
        int cut = indexOfAny(url, '?', ';');
        return cut < 0 ? url : url.substring(0, cut);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + describe() + ", user=" + user + "]";
    }
}
