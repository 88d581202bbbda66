package io.billing.composition;

import io.billing.connector.CommerceApi;
import io.billing.connector.LicenceApi;
import io.billing.connector.RatingApi;
import io.billing.entitlement.LicenceKeys;
import io.billing.ledger.PaymentPostings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Which handlers run, from MicroProfile Config: a connector's URL switches on its payment listener (see
 * {@link ConnectorConfiguration}), {@code billing.outbox.tenant-notifications.url} the tenant notifications.
 * Also makes a CDI bean of the one handler whose make-up comes from configuration, the ledger's payment
 * postings, beside the handlers the container finds by their class.
 */
@ApplicationScoped
public class HandlerConfiguration {

    @Inject
    ConnectorConfiguration connectors;

    @Inject
    EngineConfiguration engine;

    @Inject
    @ConfigProperty(name = "billing.entitlements.grace-days", defaultValue = "3")
    int graceDays;

    @Inject
    LicenceKeys licenceKeys;

    public EventHandlers.Switches switches() {
        return new EventHandlers.Switches(connectors.configured(RatingApi.CONFIG_KEY),
                connectors.configured(CommerceApi.CONFIG_KEY), connectors.configured(LicenceApi.CONFIG_KEY),
                Duration.ofDays(graceDays), licenceKeys, engine.tenantNotificationsUrl().isPresent());
    }

    @Produces
    @Dependent
    PaymentPostings paymentPostings() {
        return EventHandlers.paymentPostings(switches());
    }
}
