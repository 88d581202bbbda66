package io.billing.processing;

import com.google.gson.JsonObject;
import io.billing.testsupport.StripeFixtures;
import io.billing.testsupport.StripeFixtures.Fixture;

import java.util.ArrayList;
import java.util.List;

/**
 * The acme story of the fixtures, and the events around it that the fixtures do not tell but a payment's trace must
 * handle: the charge of acme's first subscription payment (so that its dispute finds its tenant), the ACH order's
 * {@code py_} charge, a credit note, and a one-time order from a shop on a Stripe Connect account in live mode, under
 * the shop's own order id format, with a checkout attempt and a store in its metadata.
 */
final class PaymentStories {

    static final String DISPUTED_CHARGE = "ch_TEST1_SUB0001";
    static final String ACH_CHARGE = "py_TEST1_ORD1003";
    static final String CREDIT_NOTE = "cn_TEST1_0001";
    static final String SHOP_ORDER = "SO-2026/0042";
    static final String SHOP_ATTEMPT = "chk_9d0c2f6e1b7a4c5588e3a1f0b2d4c6e8";
    static final String SHOP_STORE = "store_eu";
    static final String SHOP_ACCOUNT = "acct_1SHOPeu0000";
    static final String SHOP_INTENT = "pi_TEST9_SO42";
    static final String SHOP_CHARGE = "ch_TEST9_SO42";
    static final String SHOP_SESSION = "cs_test_TEST9_SO42";
    static final String SHOP_KEY = "payment:" + SHOP_INTENT;

    private PaymentStories() {
    }

    /** The acme story's 34 events. */
    static List<Fixture> acme() {
        return StripeFixtures.all().stream().filter(f -> f.name().startsWith("acme/")).toList();
    }

    /** The acme story and every event around it. */
    static List<Fixture> all() {
        List<Fixture> all = new ArrayList<>(acme());
        all.add(disputedCharge());
        all.add(achCharge());
        all.add(creditNote());
        all.addAll(shopOrder());
        return all;
    }

    /**
     * The charge of acme's first subscription payment, the one its dispute names: an invoice's payment, so without
     * metadata (posted through the invoice), the tenant from its customer.
     */
    static Fixture disputedCharge() {
        return charge("evt_1ACMEchSUB0001story", 1785765755L, DISPUTED_CHARGE, "pi_TEST1_SUB0001", 2900, null);
    }

    /** The ACH order's charge ({@code py_}), succeeded with its session (acme/16). */
    static Fixture achCharge() {
        return charge("evt_1ACMEpyORD1003story", 1787047499L, ACH_CHARGE, "pi_TEST1_ORD1003", 9800, "ord_1003");
    }

    /** acme's card charge of acme/09 as another charge of cus_TEST1; without an order, without metadata. */
    private static Fixture charge(String eventId, long created, String id, String paymentIntent, long amount,
                                  String order) {
        return StripeFixtures.get("acme/09_charge.succeeded.json").withEventChanged(eventId, event -> {
            event.addProperty("created", created);
            JsonObject charge = event.getAsJsonObject("data").getAsJsonObject("object");
            charge.addProperty("id", id);
            charge.addProperty("payment_intent", paymentIntent);
            charge.addProperty("amount", amount);
            if (order == null) {
                charge.add("metadata", new JsonObject());
            } else {
                charge.getAsJsonObject("metadata").addProperty("order_id", order);
            }
        });
    }

    /** A credit note on the September renewal (in_TEST1_SUB0002). */
    static Fixture creditNote() {
        return StripeFixtures.get("acme/18_refund.created.json").withEventChanged("evt_1ACMEcnSUB0002story", event -> {
            event.addProperty("type", "credit_note.created");
            event.addProperty("created", 1789000000L);
            JsonObject note = new JsonObject();
            note.addProperty("id", CREDIT_NOTE);
            note.addProperty("object", "credit_note");
            note.addProperty("amount", 500);
            note.addProperty("currency", "usd");
            note.addProperty("customer", "cus_TEST1");
            note.addProperty("invoice", "in_TEST1_SUB0002");
            note.addProperty("number", "ACMETEST-0005-CN-01");
            note.addProperty("status", "issued");
            note.add("metadata", new JsonObject());
            event.getAsJsonObject("data").add("object", note);
        });
    }

    /**
     * A shop's one-time order (4900, card) from its Stripe Connect account in live mode: the charge, the payment
     * intent and the Checkout Session, each with the shop's order id, the checkout attempt and the store in their
     * metadata.
     */
    static List<Fixture> shopOrder() {
        return List.of(
                shop("acme/09_charge.succeeded.json", "evt_1SHOPchSO42story", 1787500000L, charge -> {
                    charge.addProperty("id", SHOP_CHARGE);
                    charge.addProperty("payment_intent", SHOP_INTENT);
                }),
                shop("acme/10_payment_intent.succeeded.json", "evt_1SHOPpiSO42story", 1787500001L, intent -> {
                    intent.addProperty("id", SHOP_INTENT);
                    intent.addProperty("latest_charge", SHOP_CHARGE);
                }),
                shop("acme/11_checkout.session.completed.payment.json", "evt_1SHOPcsSO42story", 1787500002L,
                        session -> {
                            session.addProperty("id", SHOP_SESSION);
                            session.addProperty("payment_intent", SHOP_INTENT);
                        }));
    }

    private interface Change {
        void apply(JsonObject object);
    }

    private static Fixture shop(String fixture, String eventId, long created, Change change) {
        return StripeFixtures.get(fixture).withEventChanged(eventId, event -> {
            event.addProperty("created", created);
            event.addProperty("account", SHOP_ACCOUNT);
            event.addProperty("livemode", true);
            JsonObject object = event.getAsJsonObject("data").getAsJsonObject("object");
            change.apply(object);
            JsonObject metadata = new JsonObject();
            metadata.addProperty("tenant_id", "tenant_acme");
            metadata.addProperty("order_id", SHOP_ORDER);
            metadata.addProperty("checkout_attempt_id", SHOP_ATTEMPT);
            metadata.addProperty("store_id", SHOP_STORE);
            object.add("metadata", metadata);
        });
    }
}
