package io.billing.composition;

import io.billing.entitlement.LicenceKeys;
import io.billing.platform.crypto.SecretBox;
import io.billing.platform.persistence.DataAccess;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The service's own secrets, from MicroProfile Config: the encryption key that seals secrets kept in the database
 * ({@code billing.encryption.key}, base64 of 32 bytes; {@code billing.encryption.previous-key} while it is
 * rotated) and the secret licence keys are made with ({@code billing.licence.key-secret};
 * {@code billing.licence.previous-key-secret} while it is rotated). None has a default or is ever logged; what
 * happens without them is in {@link io.billing.notification.TenantCallbacks} and {@link LicenceKeys}.
 */
@ApplicationScoped
public class SecretsConfiguration {

    @Inject
    DataAccess data;

    @Inject
    @ConfigProperty(name = "billing.encryption.key")
    Optional<String> encryptionKey;

    @Inject
    @ConfigProperty(name = "billing.encryption.previous-key")
    Optional<String> previousEncryptionKey;

    @Inject
    @ConfigProperty(name = "billing.licence.key-secret")
    Optional<String> licenceKeySecret;

    @Inject
    @ConfigProperty(name = "billing.licence.previous-key-secret")
    Optional<String> previousLicenceKeySecret;

    @Produces
    @Singleton
    SecretBox secretBox() {
        return SecretBox.fromConfigured(encryptionKey, previousEncryptionKey);
    }

    /** Needs the schema: produced once it is migrated, when first injected. */
    @Produces
    @Singleton
    LicenceKeys licenceKeys(SecretBox sealing) throws SQLException {
        return LicenceKeys.load(data, licenceKeySecret, previousLicenceKeySecret, sealing);
    }
}
