package io.billing.ledger;

import java.util.Currency;
import java.util.Set;

/**
 * How many minor-unit digits Stripe uses for a currency's {@code amount}: Stripe's own table
 * (<a href="https://docs.stripe.com/currencies">docs.stripe.com/currencies</a>), not ISO 4217. The two differ:
 * ISO gives ISK and UGX none and MGA one, Stripe sends ISK with two and MGA with none, and an amount read
 * with the ISO digits would be 100 times off wherever it leaves as major units (the rating feed, the store
 * order checks, the admin's exports).
 * <ul>
 *   <li>zero-decimal: {@link #ZERO_DECIMAL};</li>
 *   <li>three-decimal: {@link #THREE_DECIMAL} (Stripe asks for the last digit to be 0 when charging);</li>
 *   <li>Stripe's special cases: ISK is two-decimal in the API although its amounts must be divisible by 100
 *       (whole krónur); HUF and TWD are two-decimal in the API, only their payouts are zero-decimal; UGX is
 *       zero-decimal in the API (its amounts must be divisible by 100 when charging);</li>
 *   <li>every other currency: two decimals.</li>
 * </ul>
 * The divisibility rules constrain what may be charged or paid out; they do not change how an amount Stripe
 * sends is read, so they are not enforced here.
 */
public final class StripeCurrencies {

    /** Stripe's zero-decimal currencies: {@code "amount": 500, "currency": "jpy"} is ¥500. */
    public static final Set<String> ZERO_DECIMAL = Set.of("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
            "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF");

    /** Stripe's three-decimal currencies: {@code "amount": 5120, "currency": "kwd"} is 5.120 KWD. */
    public static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");

    private StripeCurrencies() {
    }

    /**
     * The number of minor-unit digits of Stripe's amounts in this currency. A currency without minor units in
     * ISO 4217 (gold, test codes such as {@code XXX}) is no money Stripe charges in and is refused.
     */
    public static int exponent(Currency currency) {
        String code = currency.getCurrencyCode();
        if (ZERO_DECIMAL.contains(code)) {
            return 0;
        }
        if (THREE_DECIMAL.contains(code)) {
            return 3;
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException(currency + " has no minor units (not a money currency)");
        }
        return 2;
    }
}
