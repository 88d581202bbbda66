package io.billing.web.security;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.authentication.mechanism.http.BasicAuthenticationMechanismDefinition;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * Staff accounts for the operator API (HTTP Basic; run it behind TLS). Until the admin UI brings its
 * account store there is one account, {@code admin}, with the password from
 * {@code BILLING_ADMIN_PASSWORD}; without that password set, nobody is let in.
 */
@ApplicationScoped
@DeclareRoles({AdminAccounts.ADMIN_ROLE})
@BasicAuthenticationMechanismDefinition(realmName = "billing-admin")
public class AdminAccounts implements IdentityStore {

    public static final String ADMIN_ROLE = "admin";
    static final String ADMIN_USER = "admin";

    @Inject
    @ConfigProperty(name = "billing.admin.password")
    Optional<String> adminPassword;

    public CredentialValidationResult validate(UsernamePasswordCredential credential) {
        Optional<String> configured = adminPassword.filter(password -> !password.isBlank());
        if (configured.isEmpty()) {
            return CredentialValidationResult.INVALID_RESULT;
        }
        // Constant-time comparisons, so response times do not tell how much of a guess was right.
        boolean user = MessageDigest.isEqual(bytes(ADMIN_USER), bytes(credential.getCaller()));
        boolean password = MessageDigest.isEqual(bytes(configured.get()), bytes(credential.getPasswordAsString()));
        return user && password
                ? new CredentialValidationResult(ADMIN_USER, Set.of(ADMIN_ROLE))
                : CredentialValidationResult.INVALID_RESULT;
    }

    private static byte[] bytes(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}
