package io.billing.web.security;

import io.billing.staff.StaffAccount;
import io.billing.staff.StaffAccounts;
import io.billing.staff.StaffLogins;
import io.billing.staff.StaffPasswords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The first start's staff account: when there is none, {@code admin} is created with the password from
 * {@code BILLING_ADMIN_PASSWORD}, or, without it, a generated one printed this once to the log, which must be
 * changed at the first login (it stays in the log). There is no default password that works everywhere, and a later
 * start changes nothing.
 */
@ApplicationScoped
public class StaffBootstrap {

    private static final Logger LOG = Logger.getLogger(StaffBootstrap.class.getName());
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    @Inject
    StaffAccounts accounts;

    @Inject
    StaffPasswords passwords;

    /** Made when this is: the login throttle's settings are checked at the start. */
    @Inject
    StaffLogins logins;

    @Inject
    ClientAddress clients;

    @Inject
    @ConfigProperty(name = "billing.admin.password")
    Optional<String> configuredPassword;

    /**
     * Reads the staff login's settings (the throttle's, the trusted proxies) now, so that a malformed one stops the
     * start rather than the first login.
     */
    public void checkSettings() {
        if (clients.trustedProxies() > 0) {
            LOG.info("X-Forwarded-For and X-Forwarded-Proto are believed from " + clients.trustedProxies()
                    + " trusted proxy address(es) or range(s) (BILLING_TRUSTED_PROXIES)");
        }
    }

    public void createFirstAdminIfNone() throws SQLException {
        if (!accounts.isEmpty()) {
            return;
        }
        Optional<String> configured = configuredPassword.filter(p -> !p.isBlank());
        String password = configured.orElseGet(StaffBootstrap::generated);
        String hash = passwords.hash(password);
        String reason = "first start: no staff account existed";
        if (configured.isPresent() ? accounts.createWithOwnPassword(StaffAccount.ADMIN, hash, StaffAccount.ADMIN,
                "system", reason) : accounts.create(StaffAccount.ADMIN, hash, StaffAccount.ADMIN, "system", reason)) {
            if (configured.isPresent()) {
                LOG.info("Created the staff account 'admin' with the password from BILLING_ADMIN_PASSWORD.");
            } else {
                LOG.warning("Created the staff account 'admin' with the generated password " + password
                        + " (shown this once; the first login must change it; or set BILLING_ADMIN_PASSWORD before the first start)");
            }
        }
    }

    private static String generated() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
