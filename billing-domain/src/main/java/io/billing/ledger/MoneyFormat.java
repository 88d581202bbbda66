package io.billing.ledger;

import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Money for people: {@code $1,234.56}, {@code ¥500}, {@code KWD 5.120}, {@code -$15.00}. The one way every page, event
 * summary and trace writes an amount, so that one payment reads the same wherever it is shown.
 * <ul>
 *   <li>the decimals are Stripe's for the currency ({@link StripeCurrencies}), so {@code 500 jpy} is ¥500 and
 *       {@code 5120 kwd} is KWD 5.120, whatever ISO 4217 says;</li>
 *   <li>the symbol is English's where it names the currency alone ({@code $} is the US dollar, {@code CA$} the
 *       Canadian, {@code €}, {@code £}, {@code ¥}); a currency without one is written with its code before the
 *       figure;</li>
 *   <li>thousands are grouped with commas and the decimals follow a point, in every locale: the admin is read by
 *       support and finance alike, who compare figures across pages and with Stripe's dashboard;</li>
 *   <li>a negative amount has its minus before the symbol.</li>
 * </ul>
 * {@link Money#toString()} stays the plain form of exports and logs ({@code 49.00 USD}).
 */
public final class MoneyFormat {

    /** Whose symbols: English's, in which {@code $} is the US dollar alone. */
    private static final Locale SYMBOLS = Locale.US;

    private MoneyFormat() {
    }

    public static String format(Money money) {
        Objects.requireNonNull(money, "money");
        String figure = grouped(money.toMajor().abs().toPlainString());
        String sign = money.minorUnits() < 0 ? "-" : "";
        String symbol = symbol(money.currency());
        return symbol == null ? sign + money.currency().getCurrencyCode() + " " + figure : sign + symbol + figure;
    }

    /**
     * An amount as Stripe sends it: minor units and a currency code of either case; null when either is missing. A
     * code that is no money currency (a typo, a code of no country) is shown as Stripe sent it, minor units and code,
     * rather than failing the page that shows it.
     */
    public static String format(Long minorUnits, String currency) {
        if (minorUnits == null || currency == null) {
            return null;
        }
        try {
            return format(Money.ofStripe(minorUnits, currency));
        } catch (IllegalArgumentException notMoney) {
            return minorUnits + " " + currency.toUpperCase(Locale.ROOT);
        }
    }

    /**
     * Each currency's symbol, or "" where English writes its code: looked up once per currency, since the JDK's lookup
     * goes through its locale services on every call and the engine writes an amount into most events' lines.
     */
    private static final Map<Currency, String> SYMBOL_OF = new ConcurrentHashMap<>();

    /** The currency's own symbol, or null where English writes its code (KWD, CHF). */
    private static String symbol(Currency currency) {
        String symbol = SYMBOL_OF.computeIfAbsent(currency, c -> {
            String own = c.getSymbol(SYMBOLS);
            return own.equals(c.getCurrencyCode()) ? "" : own;
        });
        return symbol.isEmpty() ? null : symbol;
    }

    /** {@code 1234567.89} as {@code 1,234,567.89}. */
    private static String grouped(String plain) {
        int point = plain.indexOf('.');
        int end = point < 0 ? plain.length() : point;
        StringBuilder figure = new StringBuilder(plain.length() + end / 3);
        for (int i = 0; i < end; i++) {
            if (i > 0 && (end - i) % 3 == 0) {
                figure.append(',');
            }
            figure.append(plain.charAt(i));
        }
        return figure.append(plain, end, plain.length()).toString();
    }
}
