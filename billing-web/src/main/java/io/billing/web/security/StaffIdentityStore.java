package io.billing.web.security;

import io.billing.staff.StaffAccount;
import io.billing.staff.StaffAccounts;
import io.billing.staff.StaffPasswords;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Staff accounts from the database: an enabled account whose PBKDF2 hash matches. An admin is in both
 * groups, {@code admin} and {@code support}, because an admin may do all that support does.
 */
@ApplicationScoped
@DeclareRoles({StaffAccount.ADMIN, StaffAccount.SUPPORT})
public class StaffIdentityStore implements IdentityStore {

    private static final Logger LOG = Logger.getLogger(StaffIdentityStore.class.getName());

    /** Checked when the user does not exist, so a wrong name costs as long as a wrong password. */
    private static final String NO_SUCH_USER_HASH =
            "PBKDF2WithHmacSHA256:120000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    @Inject
    StaffAccounts accounts;

    @Inject
    StaffPasswords passwords;

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        Optional<StaffAccounts.Account> account;
        try {
            account = accounts.find(credential.getCaller());
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "staff login impossible: the database did not answer", e);
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        String hash = account.map(StaffAccounts.Account::passwordHash).orElse(NO_SUCH_USER_HASH);
        boolean matches = passwords.verify(credential.getCaller(), credential.getPasswordAsString(), hash);
        if (account.isEmpty() || !account.get().enabled() || !matches) {
            return CredentialValidationResult.INVALID_RESULT;
        }
        Set<String> groups = StaffAccount.ADMIN.equals(account.get().role())
                ? Set.of(StaffAccount.ADMIN, StaffAccount.SUPPORT) : Set.of(StaffAccount.SUPPORT);
        return new CredentialValidationResult(account.get().username(), groups);
    }
}
