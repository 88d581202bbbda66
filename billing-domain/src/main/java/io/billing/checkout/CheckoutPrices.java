package io.billing.checkout;

import io.billing.catalogue.CataloguePrice;
import io.billing.catalogue.CatalogueProduct;
import io.billing.catalogue.JpaCataloguePriceRepository;
import io.billing.catalogue.JpaCatalogueProductRepository;
import io.billing.platform.persistence.DataAccess;
import io.billing.platform.persistence.DatabaseFailures;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a checkout may sell: a price of the plan catalogue, named or chosen by its product, that is active (and not
 * deleted), whose product is not archived, that recurs for a subscription or is paid once for a payment, and in the
 * currency asked for. The catalogue is what Stripe's {@code price.*} and {@code product.*} events said; a price it
 * does not hold, whatever Stripe might say of it, is refused, so a caller cannot sell at a price it made up.
 */
final class CheckoutPrices {

    private static final Pattern CURRENCY = Pattern.compile("[a-z]{3}");

    /** What the catalogue holds of a named price or plan: the price(s) and their product, if known. */
    private record Known(List<CataloguePrice> prices, Optional<CatalogueProduct> product) {
    }

    private CheckoutPrices() {
    }

    /**
     * The price the request may be sold at.
     *
     * @throws CheckoutSessions.RefusedException naming what the catalogue does not offer
     * @throws IllegalArgumentException          for a request that names neither or both of price and plan, or a
     *                                           malformed currency
     */
    static CataloguePrice choose(DataAccess data, CheckoutSessions.Request request)
            throws SQLException, CheckoutSessions.RefusedException {
        boolean byPrice = request.priceId() != null && !request.priceId().isBlank();
        boolean byPlan = request.plan() != null && !request.plan().isBlank();
        if (byPrice == byPlan) {
            throw new IllegalArgumentException("name either a price (price_…) or a catalogue plan (prod_…), not "
                    + (byPrice ? "both" : "neither"));
        }
        String currency = currency(request.currency());
        boolean recurring = request.mode() == CheckoutSessions.Mode.SUBSCRIPTION;
        if (byPrice) {
            String priceId = CheckoutAttempt.requireId(request.priceId(), "price");
            Known known = DatabaseFailures.read(data, entityManager -> {
                Optional<CataloguePrice> price = new JpaCataloguePriceRepository(entityManager).find(priceId);
                return new Known(price.stream().toList(), price.map(CataloguePrice::productId)
                        .flatMap(new JpaCatalogueProductRepository(entityManager)::find));
            });
            if (known.prices().isEmpty()) {
                throw new CheckoutSessions.RefusedException("price_not_in_catalogue", "price " + priceId
                        + " is not in the plan catalogue; only the catalogue's active prices can be sold");
            }
            CataloguePrice price = known.prices().get(0);
            if (!price.offered()) {
                throw new CheckoutSessions.RefusedException("price_inactive", "price " + priceId + " is "
                        + (price.deleted() ? "deleted" : "archived (inactive)")
                        + " in the plan catalogue and cannot be sold");
            }
            requireProductOffered(known.product(), "price " + priceId);
            if (price.recurring() != recurring) {
                throw new CheckoutSessions.RefusedException("price_not_for_mode", "price " + priceId + " is "
                        + (price.recurring()
                        ? "recurring (every " + price.billingInterval() + "): use mode subscription"
                        : "paid once: use mode payment"));
            }
            if (currency != null && !currency.equals(price.currency())) {
                throw new CheckoutSessions.RefusedException("currency_not_offered", "price " + priceId
                        + " is offered in " + upper(price.currency()) + ", not " + upper(currency));
            }
            return price;
        }
        String plan = CheckoutAttempt.requireId(request.plan(), "plan");
        Known known = DatabaseFailures.read(data, entityManager -> new Known(
                new JpaCataloguePriceRepository(entityManager).activePrices(plan, recurring),
                new JpaCatalogueProductRepository(entityManager).find(plan)));
        requireProductOffered(known.product(), "plan " + plan);
        String kind = recurring ? "recurring" : "one-time";
        if (known.prices().isEmpty()) {
            throw new CheckoutSessions.RefusedException("plan_not_offered", "plan " + plan + " has no active " + kind
                    + " price in the plan catalogue");
        }
        List<CataloguePrice> inCurrency = known.prices().stream()
                .filter(price -> currency == null || currency.equals(price.currency())).toList();
        if (inCurrency.isEmpty()) {
            throw new CheckoutSessions.RefusedException("currency_not_offered", "plan " + plan + " is offered in "
                    + String.join(", ", known.prices().stream().map(p -> upper(p.currency())).distinct().toList())
                    + ", not " + upper(currency));
        }
        if (inCurrency.size() > 1) {
            throw new CheckoutSessions.RefusedException("plan_price_ambiguous", "plan " + plan + " has "
                    + inCurrency.size() + " active " + kind + " prices"
                    + (currency == null ? "" : " in " + upper(currency)) + " in the plan catalogue " + inCurrency.stream().map(CataloguePrice::id).toList()
                    + "; name the price" + (currency == null ? " or the currency" : "") + " instead");
        }
        return inCurrency.get(0);
    }

    /** A product the catalogue knows to be archived or deleted sells nothing; one it does not know yet is no reason. */
    private static void requireProductOffered(Optional<CatalogueProduct> product, String what)
            throws CheckoutSessions.RefusedException {
        if (product.isPresent() && (!product.get().active() || product.get().deleted())) {
            throw new CheckoutSessions.RefusedException("price_inactive", what + " belongs to product "
                    + product.get().id() + ", which is " + (product.get().deleted() ? "deleted" : "archived")
                    + " in the plan catalogue");
        }
    }

    /** The currency as Stripe writes it (lower case), or null for none. */
    private static String currency(String currency) {
        if (currency == null || currency.isBlank()) {
            return null;
        }
        String code = currency.trim().toLowerCase(Locale.ROOT);
        if (!CURRENCY.matcher(code).matches()) {
            throw new IllegalArgumentException("currency must be a three-letter ISO code such as usd, not " + currency);
        }
        return code;
    }

    private static String upper(String currency) {
        return currency == null ? "no currency" : currency.toUpperCase(Locale.ROOT);
    }
}
