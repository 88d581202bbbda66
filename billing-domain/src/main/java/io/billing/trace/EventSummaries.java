package io.billing.trace;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.billing.ledger.MoneyFormat;
import io.billing.stripe.view.Amount;
import io.billing.stripe.view.ChargeView;
import io.billing.stripe.view.CheckoutSessionView;
import io.billing.stripe.view.CustomerView;
import io.billing.stripe.view.DisputeView;
import io.billing.stripe.view.EntitlementSummaryView;
import io.billing.stripe.view.InvoiceView;
import io.billing.stripe.view.PaymentIntentView;
import io.billing.stripe.view.PaymentReversalView;
import io.billing.stripe.view.PriceView;
import io.billing.stripe.view.ProductView;
import io.billing.stripe.view.RefundView;
import io.billing.stripe.view.StripeObjectView;
import io.billing.stripe.view.SubscriptionItemView;
import io.billing.stripe.view.SubscriptionView;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a Stripe event says, in one line of plain words, from the object it carries: "Invoice ACMETEST-0001 for $29.00
 * paid by Acme Corp", "Refund of $15.00 on order ord_1002", "Customer Acme Corp created". Support reads the events
 * list, an event's page and a trace by these lines instead of opening each body. Amounts are written by
 * {@link MoneyFormat}, so a payment reads the same here as on its trace and in the ledger.
 *
 * <p>A pure function of the event's JSON (and of what people call the payment a refund or dispute belongs to, which
 * its object does not say: the caller names it, see {@link #of(List, PaymentLookup)}). The types the service handles have
 * phrases of their own; any other type gets "&lt;object&gt; &lt;id&gt; [for &lt;amount&gt;] &lt;what happened&gt;",
 * from its object type, id and the event type's last word ("Credit note cn_1 for $10.00 created"). It never fails: a
 * body it cannot read gets the line of its envelope ({@link #withoutBody}). Parsing is the whole cost, about what
 * the engine pays per event, so a page of 50 events stays in the milliseconds.
 */
public final class EventSummaries {

    /** The longest line; a longer one (a long customer name, Stripe's decline message) is cut to it. */
    public static final int MAX_LENGTH = 300;

    /**
     * What a query of {@code inbox_event} selects to make its events' lines ({@link Stored}): the line the engine
     * kept, and the body only where it kept none. Reading the bodies from disk was most of a page's time on a large
     * inbox.
     */
    public static final String LINE_COLUMNS = "event_line, CASE WHEN event_line IS NULL THEN payload END AS payload";

    /** What people call the payments of Stripe ids ({@link #paymentName}); may leave out the ids it does not know. */
    @FunctionalInterface
    public interface PaymentLookup {
        Map<String, String> names(Set<String> stripeIds) throws SQLException;
    }

    /**
     * An event as the inbox stores it.
     *
     * @param body the raw body; null once data retention removed it, and not read when the line was kept
     * @param line its line as the engine kept it when it settled the event ({@link #lineToKeep}); null for none
     */
    public record Stored(String type, String objectType, String objectId, byte[] body, String line) {
    }

    private EventSummaries() {
    }

    /**
     * The lines of these events, in their order. Each body is parsed once; the payments of the events' refunds and
     * disputes are named by one call of {@code names}, with every charge and payment intent they take money from.
     *
     * @param names what people call the payments of the ids; asked once, and only if an event needs it
     */
    public static List<String> of(List<Stored> events, PaymentLookup names) throws SQLException {
        List<JsonObject> bodies = new ArrayList<>(events.size());
        Set<String> wanted = new LinkedHashSet<>();
        for (Stored event : events) {
            JsonObject body = event.line() != null ? null : parse(event.body());
            bodies.add(body);
            if (body != null) {
                wanted.addAll(paymentsNamed(body));
            }
        }
        Map<String, String> known = wanted.isEmpty() ? Map.of() : names.names(wanted);
        List<String> lines = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Stored event = events.get(i);
            if (event.line() != null) {
                lines.add(event.line());
            } else if (bodies.get(i) == null) {
                lines.add(withoutBody(event.type(), event.objectType(), event.objectId()));
            } else {
                lines.add(of(bodies.get(i), known::get));
            }
        }
        return lines;
    }

    /**
     * One event's line.
     *
     * @param names what people call the payment of a charge or payment intent, by its id; null for one it does not know
     */
    public static String of(JsonObject event, Function<String, String> names) {
        String type = text(event, "type");
        JsonObject object = dataObject(event);
        if (object == null) {
            return bounded(generic(type, null, null, null));
        }
        StripeObjectView view = StripeObjectView.of(object);
        try {
            String line = specific(type == null ? "" : type, view.type() == null ? "" : view.type(), object,
                    previousAttributes(event), names);
            return bounded(line != null ? line : generic(type, view.type(), view.id(), view.anyAmount()));
        } catch (RuntimeException unreadable) {
            // A field of an unexpected kind (a currency that is no code, a number that is text): the envelope's line.
            return bounded(generic(type, view.type(), view.id(), null));
        }
    }

    /**
     * The line to keep with an event when it is settled, so that lists and traces need not read its body (on a large
     * inbox, reading the bodies of a page of events from disk is most of the page's time) and the line outlives the
     * body's removal by data retention. Null for the lines that name a payment (refunds, disputes): what people call
     * a payment can be learnt after the event, so those are made when read.
     */
    public static String lineToKeep(JsonObject event) {
        return paymentsNamed(event).isEmpty() ? of(event, stripeId -> null) : null;
    }

    /** The line of an event whose body data retention removed: what its envelope says. */
    public static String withoutBody(String type, String objectType, String objectId) {
        return bounded(generic(type, objectType, objectId, null));
    }

    /**
     * The charges and payment intents this event's line names a payment by: those a refund or dispute takes money
     * from. Its object says no more of that payment than those ids.
     */
    public static Set<String> paymentsNamed(JsonObject event) {
        JsonObject object = dataObject(event);
        PaymentReversalView reversal = object == null ? null : PaymentReversalView.ofAnyType(object);
        Set<String> ids = new LinkedHashSet<>();
        if (reversal != null) {
            if (reversal.charge() != null) {
                ids.add(reversal.charge());
            }
            if (reversal.paymentIntent() != null) {
                ids.add(reversal.paymentIntent());
            }
        }
        return ids;
    }

    /**
     * What people call a payment: "invoice ACMETEST-0001" (the number the customer was sent), else "order ord_1002"
     * (the application's); null when it has neither.
     */
    public static String paymentName(String invoiceNumber, String orderId) {
        return invoiceNumber != null ? "invoice " + invoiceNumber : orderId != null ? "order " + orderId : null;
    }

    private static String specific(String type, String objectType, JsonObject object, JsonObject previous,
                                   Function<String, String> names) {
        return switch (objectType) {
            case "invoice" -> invoice(type, InvoiceView.of(object));
            case "charge" -> charge(type, ChargeView.of(object));
            case "payment_intent" -> paymentIntent(type, PaymentIntentView.of(object));
            case "checkout.session" -> session(type, CheckoutSessionView.of(object));
            case "refund" -> refund(type, RefundView.of(object), names);
            case "dispute" -> dispute(type, DisputeView.of(object), names);
            case "customer" -> customer(type, CustomerView.of(object), previous);
            case "subscription" -> subscription(type, SubscriptionView.of(object), previous);
            case "product" -> "Product " + Objects.requireNonNullElse(ProductView.of(object).name(),
                    ProductView.of(object).id()) + " " + verb(type);
            case "price" -> price(type, PriceView.of(object));
            case "entitlements.active_entitlement_summary" -> entitlements(EntitlementSummaryView.of(object));
            default -> null;
        };
    }

    private static String invoice(String type, InvoiceView invoice) {
        String name = invoice.number() != null ? "Invoice " + invoice.number()
                : "draft".equals(invoice.status()) ? "Draft invoice" : "Invoice " + invoice.id();
        String total = money(invoice.total());
        String who = first(invoice.customerName(), invoice.customerEmail(), invoice.customer());
        String invoiceFor = join(name, prefixed("for ", total));
        String invoiceTo = join(invoiceFor, prefixed("to ", who));
        Long attempt = invoice.attemptCount();
        String attemptNo = attempt == null || attempt < 1 ? null : "(attempt " + attempt + ")";
        return switch (type) {
            case "invoice.created" -> join(invoiceFor, "created", prefixed("for ", who));
            case "invoice.finalized" -> join(invoiceFor, "issued", prefixed("to ", who));
            case "invoice.paid", "invoice.payment_succeeded" -> {
                Amount paid = invoice.amountPaid();
                String amount = paid != null && paid.minorUnits() > 0 ? money(paid) : total;
                yield join(name, prefixed("for ", amount), "paid", prefixed("by ", who));
            }
            case "invoice.payment_failed" -> join(invoiceTo + ": payment failed", attemptNo);
            case "invoice.payment_action_required" -> join(invoiceTo + ": payment needs the customer's action",
                    attemptNo);
            case "invoice.voided" -> join(invoiceTo, "voided");
            case "invoice.marked_uncollectible" -> join(invoiceTo, "written off as uncollectible");
            default -> join(invoiceTo, verb(type));
        };
    }

    private static String charge(String type, ChargeView charge) {
        String of = join("Charge", prefixed("of ", money(charge.amount())), prefixed("for ", order(charge)));
        return switch (type) {
            case "charge.succeeded" -> join(of, "succeeded") + prefixed(", paid by ", charge.billingName());
            case "charge.failed" -> join(of, "failed") + prefixed(": ", charge.failureMessage());
            case "charge.refunded" -> charge.fullyRefunded() ? join(of, "refunded in full")
                    : join(of, "refunded", money(charge.amountRefunded()));
            default -> join(of, verb(type));
        };
    }

    private static String paymentIntent(String type, PaymentIntentView intent) {
        String of = join("Payment", prefixed("of ", money(intent.amount())), prefixed("for ", order(intent)));
        return switch (type) {
            case "payment_intent.payment_failed" -> join(of, "failed") + prefixed(": ",
                    intent.lastPaymentErrorMessage());
            case "payment_intent.requires_action" -> join(of, "needs the customer's action");
            case "payment_intent.processing" -> join(of, "is processing");
            default -> join(of, verb(type));
        };
    }

    private static String session(String type, CheckoutSessionView session) {
        String checkout = join("subscription".equals(session.mode()) ? "Checkout of a subscription" : "Checkout",
                prefixed("for ", order(session)));
        String amount = money(session.amountTotal());
        String buyer = first(session.customerName(), session.customerEmail());
        return switch (type) {
            case "checkout.session.completed" -> switch (Objects.requireNonNullElse(session.paymentStatus(), "")) {
                case "paid" -> checkout + " completed: " + join(amount, "paid", prefixed("by ", buyer));
                case "no_payment_required" -> join(checkout + " completed: no payment required",
                        prefixed("(", buyer, ")"));
                default -> checkout + " completed: " + join(amount, "awaiting payment", prefixed("from ", buyer));
            };
            case "checkout.session.async_payment_succeeded" -> join("Delayed payment", prefixed("of ", amount),
                    prefixed("for ", order(session)), "succeeded");
            case "checkout.session.async_payment_failed" -> join("Delayed payment", prefixed("of ", amount),
                    prefixed("for ", order(session)), "failed");
            case "checkout.session.expired" -> join(checkout, prefixed("of ", amount), "expired unpaid");
            default -> join(checkout, prefixed("of ", amount), verb(type));
        };
    }

    private static String refund(String type, RefundView refund, Function<String, String> names) {
        String of = join("Refund", prefixed("of ", money(refund.amount())), prefixed("on ", payment(refund, names)));
        String status = refund.status();
        if (type.endsWith(".created")) {
            return status == null || refund.succeeded() ? of : join(of, words(status));
        }
        return status == null ? join(of, verb(type)) : join(of, verb(type) + ":", words(status));
    }

    private static String dispute(String type, DisputeView dispute, Function<String, String> names) {
        String of = join("Dispute", prefixed("of ", money(dispute.amount())));
        String on = prefixed("on ", payment(dispute, names));
        return switch (type) {
            case "charge.dispute.created" -> join(of, "opened", on) + prefixed(": ", words(dispute.reason()));
            case "charge.dispute.closed" -> join(of, on, "closed") + prefixed(": ", words(dispute.status()));
            case "charge.dispute.funds_withdrawn", "charge.dispute.funds_reinstated" -> join(of, on) + ": "
                    + verb(type);
            default -> join(of, on, verb(type)) + prefixed(": ", words(dispute.status()));
        };
    }

    private static String customer(String type, CustomerView customer, JsonObject previous) {
        String line = join("Customer", first(customer.name(), customer.email(), customer.id()), verb(type));
        if (previous != null && !previous.keySet().isEmpty()) {
            line += ": " + previous.keySet().stream().map(EventSummaries::words).collect(Collectors.joining(", "));
        }
        return line;
    }

    private static String subscription(String type, SubscriptionView subscription, JsonObject previous) {
        String name = join("Subscription", subscription.id());
        String plan = plan(subscription);
        String state = words(subscription.status());
        if ("trialing".equals(subscription.status()) && subscription.trialEnd() != null) {
            state += " until " + date(subscription.trialEnd());
        }
        return switch (type) {
            case "customer.subscription.created" -> name + " created" + prefixed(": ", pair(plan, state, ", "));
            case "customer.subscription.updated" -> name + " updated" + prefixed(": ", pair(
                    previous != null && previous.has("items") ? prefixed("now ", plan) : plan, state, ", "));
            case "customer.subscription.deleted" -> join(name, prefixed("to ", plan), "canceled")
                    + prefixed(": ", words(subscription.cancellationReason()));
            case "customer.subscription.trial_will_end" -> join("Trial of subscription", subscription.id(),
                    prefixed("to ", plan), "ends",
                    prefixed("on ", subscription.trialEnd() == null ? null : date(subscription.trialEnd())));
            default -> join(name, verb(type)) + prefixed(": ", pair(plan, state, ", "));
        };
    }

    /** A subscription's items: "prod_PRO at $29.00 a month", "3 × prod_SEAT at $5.00 a month + …". */
    private static String plan(SubscriptionView subscription) {
        StringJoiner items = new StringJoiner(" + ");
        for (SubscriptionItemView item : subscription.items()) {
            Long quantity = item.quantity();
            String price = join(money(item.unitAmount()), every(item.interval(), item.intervalCount()));
            items.add(join(quantity != null && quantity > 1 ? quantity + " ×" : null,
                    first(item.product(), item.price()), prefixed("at ", price)));
        }
        return items.length() == 0 ? null : items.toString();
    }

    private static String price(String type, PriceView price) {
        String amount = price.unitAmount() == null || price.currency() == null ? null
                : MoneyFormat.format(price.unitAmount(), price.currency());
        return join(amount == null ? join("Price", price.id()) : join("Price of", amount,
                every(price.interval(), price.intervalCount())), prefixed("for ", price.product()), verb(type));
    }

    private static String entitlements(EntitlementSummaryView summary) {
        Set<String> features = summary.featureLookupKeys();
        return join("Entitlements", prefixed("of customer ", summary.customer())) + " now: "
                + (features.isEmpty() ? "none" : String.join(", ", features));
    }

    /** "a month", "every 3 months"; null for a price paid once. */
    private static String every(String interval, Integer count) {
        if (interval == null) {
            return null;
        }
        return count == null || count == 1 ? "a " + interval : "every " + count + " " + interval + "s";
    }

    /** The order an object's metadata names: "order ord_1002"; null without one. */
    private static String order(StripeObjectView object) {
        return prefixed("order ", object.metadata("order_id"));
    }

    /**
     * The payment a refund or dispute takes money from: what people call it, else its charge, else its payment
     * intent.
     */
    private static String payment(PaymentReversalView reversal, Function<String, String> names) {
        String named = first(reversal.charge() == null ? null : names.apply(reversal.charge()),
                reversal.paymentIntent() == null ? null : names.apply(reversal.paymentIntent()));
        return first(named, prefixed("charge ", reversal.charge()), prefixed("payment ", reversal.paymentIntent()));
    }

    /**
     * The generic line: "Credit note cn_1 for $10.00 created"; an event without an object, "Stripe event
     * &lt;type&gt;".
     */
    private static String generic(String type, String objectType, String objectId, Amount amount) {
        if (objectType == null || objectType.isBlank()) {
            return join("Stripe event", Objects.requireNonNullElse(type, "of no type"));
        }
        return join(noun(objectType), objectId, prefixed("for ", money(amount)), verb(type));
    }

    /** An object type for people: "Checkout Session", "Payment intent", "Credit note". */
    private static String noun(String objectType) {
        return switch (objectType) {
            case "checkout.session" -> "Checkout Session";
            case "entitlements.active_entitlement_summary" -> "Entitlement summary";
            default -> {
                String words = objectType.replace('.', ' ').replace('_', ' ');
                yield Character.toUpperCase(words.charAt(0)) + words.substring(1);
            }
        };
    }

    /** What happened, from the event type's last word: "created", "payment failed", "read from Stripe". */
    private static String verb(String type) {
        if (type == null || type.isBlank()) {
            return "changed";
        }
        String last = type.substring(type.lastIndexOf('.') + 1);
        // <type>.fetched is this service's own read of the object from Stripe's API, not something Stripe told.
        return "fetched".equals(last) ? "read from Stripe" : words(last);
    }

    /** Stripe's identifiers in words: {@code product_unacceptable} as "product unacceptable". */
    private static String words(String identifier) {
        return identifier == null ? null : identifier.replace('_', ' ');
    }

    private static String money(Amount amount) {
        return amount == null ? null : MoneyFormat.format(amount.minorUnits(), amount.currency());
    }

    private static String date(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    /** The parts that are there, with a space between each. */
    private static String join(String... parts) {
        StringJoiner line = new StringJoiner(" ");
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                line.add(part);
            }
        }
        return line.toString();
    }

    /** Two parts that are there, with {@code between}; either alone; null for neither. */
    private static String pair(String one, String two, String between) {
        return one == null ? two : two == null ? one : one + between + two;
    }

    /** {@code before + value}, or "" without a value. */
    private static String prefixed(String before, String value) {
        return value == null || value.isBlank() ? "" : before + value;
    }

    /** {@code before + value + after}, or "" without a value. */
    private static String prefixed(String before, String value, String after) {
        return value == null || value.isBlank() ? "" : before + value + after;
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null && !(candidate instanceof String text && text.isBlank())) {
                return candidate;
            }
        }
        return null;
    }

    private static String bounded(String line) {
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
    }

    /** The event's JSON; null for no body or one that is no JSON object. */
    private static JsonObject parse(byte[] body) {
        if (body == null) {
            return null;
        }
        try {
            JsonElement parsed = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            return parsed.isJsonObject() ? parsed.getAsJsonObject() : null;
        } catch (JsonParseException notJson) {
            return null;
        }
    }

    private static JsonObject dataObject(JsonObject event) {
        JsonObject data = member(event, "data");
        JsonObject object = data == null ? null : member(data, "object");
        return object == null || object.keySet().isEmpty() ? null : object;
    }

    private static JsonObject previousAttributes(JsonObject event) {
        JsonObject data = member(event, "data");
        return data == null ? null : member(data, "previous_attributes");
    }

    private static JsonObject member(JsonObject object, String name) {
        JsonElement member = object.get(name);
        return member != null && member.isJsonObject() ? member.getAsJsonObject() : null;
    }

    private static String text(JsonObject object, String name) {
        JsonElement member = object.get(name);
        return member != null && member.isJsonPrimitive() ? member.getAsString() : null;
    }
}
