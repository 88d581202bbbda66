package io.billing.composition;

import io.billing.apikey.ApiKeys;
import io.billing.audit.AuditQueries;
import io.billing.connector.LicenceUsers;
import io.billing.entitlement.Entitlements;
import io.billing.entitlement.LicenceKeys;
import io.billing.entitlement.Licences;
import io.billing.entitlement.PlanCatalogue;
import io.billing.ledger.LedgerQueries;
import io.billing.notification.TenantCallbacks;
import io.billing.platform.crypto.SecretBox;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.SchemaMigration;
import io.billing.platform.queue.WorkSignal;
import io.billing.processing.operator.EventOperations;
import io.billing.processing.operator.FailureGroups;
import io.billing.processing.operator.Misconfigurations;
import io.billing.processing.operator.EventQueries;
import io.billing.processing.operator.OutboxOperations;
import io.billing.platform.time.DatabaseClock;
import io.billing.staff.LoginThrottle;
import io.billing.stripe.webhook.WebhookSignatureVerifier;
import io.billing.staff.StaffAccounts;
import io.billing.staff.StaffLogins;
import io.billing.staff.StaffPasswords;
import io.billing.subscription.SubscriptionQueries;
import io.billing.tenant.TenantMappings;
import io.billing.tenant.TenantQueries;
import io.billing.trace.PaymentTrace;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Makes the engine's plain-Java services injectable: the operator's event and outbox operations and queries, the
 * tenant, subscription, ledger, entitlement, licence and trace queries, the tenant mappings and callbacks, the API
 * keys, staff accounts and their logins (with the login throttle's {@code billing.login.*} settings), what is set
 * up wrong, and the signal that wakes idle workers. One instance each per application; singletons rather than
 * application-scoped proxies, because these classes take their dependencies in constructors.
 */
@ApplicationScoped
public class OperatorServices {

    /** How long the admin's banner is kept before the outbox is read again. */
    static final Duration MISCONFIGURATIONS_FRESH = Duration.ofSeconds(5);

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    DataAccess data;

    @Inject
    Clock clock;

    @Produces
    @Singleton
    WorkSignal workSignal() {
        return new WorkSignal();
    }

    @Produces
    @Singleton
    EventOperations eventOperations() {
        return new EventOperations(dataSource, clock);
    }

    @Produces
    @Singleton
    FailureGroups failureGroups(EventOperations operations) {
        return new FailureGroups(dataSource, operations);
    }

    @Produces
    @Singleton
    OutboxOperations outboxOperations() {
        return new OutboxOperations(dataSource, clock);
    }

    /**
     * What is set up wrong, for the admin's banner: read at most every few seconds, however many pages are shown.
     * The webhook's verifier comes from the web module, which holds the webhook's settings.
     */
    @Produces
    @Singleton
    Misconfigurations misconfigurations(WebhookSignatureVerifier webhook, StripeApiConfiguration stripe,
                                        OutboxOperations outbox) {
        return new Misconfigurations(webhook.isConfigured(), stripe.keyConfigured(), outbox::failingDestinations, clock,
                MISCONFIGURATIONS_FRESH);
    }

    @Produces
    @Singleton
    EventQueries eventQueries() {
        return new EventQueries(dataSource);
    }

    @Produces
    @Singleton
    TenantQueries tenantQueries() {
        return new TenantQueries(data);
    }

    @Produces
    @Singleton
    PaymentTrace paymentTrace() {
        return new PaymentTrace(data);
    }

    @Produces
    @Singleton
    LedgerQueries ledgerQueries() {
        return new LedgerQueries(data);
    }

    @Produces
    @Singleton
    Entitlements entitlements(
            @ConfigProperty(name = "billing.catalogue.features", defaultValue = "") String features,
            @ConfigProperty(name = "billing.entitlements.grace-days", defaultValue = "3") int graceDays)
            throws SQLException {
        PlanCatalogue.parse(features).seedIfEmpty(data);
        return new Entitlements(data, clock, Duration.ofDays(graceDays));
    }

    @Produces
    @Singleton
    Licences licences(@ConfigProperty(name = "billing.entitlements.grace-days", defaultValue = "3") int graceDays,
                      LicenceKeys keys) {
        return new Licences(data, clock, Duration.ofDays(graceDays), keys);
    }

    @Produces
    @Singleton
    LicenceUsers licenceUsers() {
        return new LicenceUsers(data);
    }

    @Produces
    @Singleton
    SubscriptionQueries subscriptionQueries() {
        return new SubscriptionQueries(data);
    }

    @Produces
    @Singleton
    TenantCallbacks tenantCallbacks(
            @ConfigProperty(name = "billing.callbacks.allow-http", defaultValue = "false") boolean allowHttp,
            SecretBox secrets, ConnectorConfiguration connectors) {
        return new TenantCallbacks(data, clock, allowHttp, secrets, connectors.callbackDestinations());
    }

    @Produces
    @Singleton
    AuditQueries auditQueries() {
        return new AuditQueries(data);
    }

    @Produces
    @Singleton
    StaffAccounts staffAccounts() {
        return new StaffAccounts(data, clock);
    }

    /** The API keys, and the legacy service token ({@code billing.service-token}) as one more key while it is set. */
    @Produces
    @Singleton
    ApiKeys apiKeys(@ConfigProperty(name = "billing.service-token") Optional<String> legacyToken) {
        return new ApiKeys(data, clock, legacyToken);
    }

    @Produces
    @Singleton
    StaffPasswords staffPasswords() {
        return new StaffPasswords();
    }

    @Produces
    @Singleton
    StaffLogins staffLogins(StaffAccounts accounts, StaffPasswords passwords, DatabaseClock databaseClock,
            @ConfigProperty(name = "billing.login.free-failures-per-account", defaultValue = "5") int perAccount,
            @ConfigProperty(name = "billing.login.free-failures-per-address", defaultValue = "20") int perAddress,
            @ConfigProperty(name = "billing.login.first-delay-seconds", defaultValue = "1") long firstDelay,
            @ConfigProperty(name = "billing.login.max-delay-seconds", defaultValue = "900") long maxDelay,
            @ConfigProperty(name = "billing.login.forget-after-minutes", defaultValue = "60") long forgetAfter) {
        LoginThrottle.Policy policy = new LoginThrottle.Policy(perAccount, perAddress, Duration.ofSeconds(firstDelay),
                Duration.ofSeconds(maxDelay), Duration.ofMinutes(forgetAfter));
        return new StaffLogins(accounts, passwords, new LoginThrottle(data, databaseClock, policy));
    }

    @Produces
    @Singleton
    TenantMappings tenantMappings() {
        return new TenantMappings(data, clock);
    }
}
