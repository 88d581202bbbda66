package io.billing.it;

import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every realistic Stripe event, posted signed over HTTP, is stored byte for byte with its envelope fields. */
@ExtendWith(ArquillianExtension.class)
class FixtureIntakeIT {

    private static final Set<String> STORED_STATUSES =
            Set.of("RECEIVED", "PROCESSING", "PROCESSED", "IGNORED", "UNMAPPED");

    private final WebhookClient webhook = new WebhookClient();

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.billingWar();
    }

    @Test
    void everyFixtureIsStoredByteForByte() {
        List<Fixture> fixtures = StripeFixtures.all();
        assertEquals(43, fixtures.size(), "acme 34 + globex 5 + unmapped 2 + legacy 2");
        List<Runnable> checks = new ArrayList<>();
        for (Fixture fixture : fixtures) {
            WebhookClient.Answer answer = webhook.postSigned(fixture.body());
            assertEquals(200, answer.status(), fixture.name() + ": " + answer.body());
            assertEquals(fixture.eventId(), answer.json().getString("id"));
            InboxRows.Row row = InboxRows.get(fixture.eventId());
            checks.add(() -> assertArrayEquals(fixture.body(), row.payload(), fixture.name() + " stored byte-exact"));
            // Stored first; the engine may already have moved it on, but never into failure.
            checks.add(() -> assertTrue(STORED_STATUSES.contains(row.status()), fixture.name() + ": " + row.status()));
            checks.add(() -> assertFalse(row.livemode(), fixture.name()));
        }
        assertAll(checks.stream().map(c -> c::run));
    }

    @Test
    void envelopeFieldsAreLiftedForLaterStages() {
        post("acme/06_invoice.payment_succeeded.json");
        post("acme/29_entitlements.active_entitlement_summary.updated.json");
        post("acme/30_charge.dispute.created.json");
        post("legacy/invoice.payment_succeeded.2020-08-27.json");

        InboxRows.Row invoice = InboxRows.get("evt_1ACME0006Rmk2ru8xA4");
        assertEquals("invoice.payment_succeeded", invoice.type());
        assertEquals("2026-07-29.dahlia", invoice.apiVersion());
        assertEquals("invoice", invoice.objectType());
        assertEquals("in_TEST1_SUB0001", invoice.objectId());
        assertEquals("cus_TEST1", invoice.customerId());

        InboxRows.Row summary = InboxRows.get(StripeFixtures.get("acme/29_entitlements.active_entitlement_summary.updated.json").eventId());
        assertEquals("entitlements.active_entitlement_summary", summary.objectType());
        assertNull(summary.objectId(), "an entitlement summary has no id");
        assertEquals("cus_TEST1", summary.customerId());

        InboxRows.Row dispute = InboxRows.get(StripeFixtures.get("acme/30_charge.dispute.created.json").eventId());
        assertEquals("du_TEST1_0001", dispute.objectId());
        assertNull(dispute.customerId(), "disputes carry no customer field");

        InboxRows.Row legacy = InboxRows.get(StripeFixtures.get("legacy/invoice.payment_succeeded.2020-08-27.json").eventId());
        assertEquals("2020-08-27", legacy.apiVersion(), "older API versions are stored too");
        assertTrue(legacy.payload().length > 0);
    }

    private void post(String name) {
        WebhookClient.Answer answer = webhook.postSigned(StripeFixtures.get(name).body());
        assertEquals(200, answer.status(), name + ": " + answer.body());
    }
}
