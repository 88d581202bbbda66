package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import io.billing.testsupport.StripeSigner;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;


import static io.billing.it.WebhookClient.JSON;
import static io.billing.it.WebhookClient.now;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Secret rotation and several {@code v1} entries: any configured secret and any v1 entry may match. */
@ExtendWith(ArquillianExtension.class)
class SignatureAcceptanceIT {

    private final WebhookClient webhook = new WebhookClient();
    private final TestEnvironment environment = TestEnvironment.get();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    private static Fixture freshEvent() {
        return StripeFixtures.get("acme/10_payment_intent.succeeded.json")
                .withFreshEventId("evt_accept_");
    }

    @Test
    void bothTheCurrentAndThePreviousSecretAreAcceptedWhileConfigured() {
        Fixture signedWithCurrent = freshEvent();
        Fixture signedWithPrevious = freshEvent();
        assertEquals(200, webhook.post(signedWithCurrent.body(), JSON,
                StripeSigner.header(signedWithCurrent.body(), now(), environment.currentSecret)).status());
        assertEquals(200, webhook.post(signedWithPrevious.body(), JSON,
                StripeSigner.header(signedWithPrevious.body(), now(), environment.previousSecret)).status());
        InboxRows.get(signedWithCurrent.eventId());
        InboxRows.get(signedWithPrevious.eventId());
    }

    @Test
    void anyOfSeveralV1EntriesMayMatch() {
        Fixture event = freshEvent();
        long t = now();
        // As Stripe sends during a roll: a signature with a secret we do not have first, ours second,
        // plus a v0 entry that must be ignored.
        String header = "t=" + t + ",v1=" + StripeSigner.v1(event.body(), "whsec_rolled_elsewhere", t)
                + ",v1=" + StripeSigner.v1(event.body(), environment.currentSecret, t)
                + ",v0=" + StripeSigner.v1(event.body(), "whsec_legacy_scheme", t);
        assertEquals(200, webhook.post(event.body(), JSON, header).status());
        InboxRows.get(event.eventId());
    }

    @Test
    void signaturesWithinTheToleranceInBothDirectionsAreAccepted() {
        Fixture early = freshEvent();
        Fixture late = freshEvent();
        assertEquals(200, webhook.post(early.body(), JSON,
                StripeSigner.header(early.body(), now() - 240, environment.currentSecret)).status());
        assertEquals(200, webhook.post(late.body(), JSON,
                StripeSigner.header(late.body(), now() + 240, environment.currentSecret)).status());
    }
}
