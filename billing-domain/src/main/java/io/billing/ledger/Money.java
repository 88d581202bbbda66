package io.billing.ledger;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;

/**
 * An amount of money: an integer of the currency's minor units and the currency. Never a floating-point
 * number. The number of minor-unit digits (the exponent) is Stripe's for the currency
 * ({@link StripeCurrencies}, not ISO 4217's where the two differ): 2 for USD and ISK, 0 for JPY and MGA, 3 for
 * BHD, so {@code 4900 usd} is 49.00 USD and {@code 4900 jpy} is 4900 JPY. This is how Stripe sends amounts:
 * {@code "amount": 4900, "currency": "usd"}.
 */
public record Money(long minorUnits, Currency currency) {

    public Money {
        Objects.requireNonNull(currency, "currency");
        StripeCurrencies.exponent(currency); // refuses a currency without minor units
    }

    /** From Stripe's representation: an integer amount and a lower-case ISO code. */
    public static Money ofStripe(long amount, String currencyCode) {
        return new Money(amount, currency(currencyCode));
    }

    public static Currency currency(String code) {
        if (code == null || code.length() != 3) {
            throw new IllegalArgumentException("a three-letter ISO 4217 currency code is required: " + code);
        }
        try {
            return Currency.getInstance(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown currency " + code, e);
        }
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    public int exponent() {
        return StripeCurrencies.exponent(currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minorUnits, other.minorUnits), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minorUnits, other.minorUnits), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minorUnits), currency);
    }

    public boolean isZero() {
        return minorUnits == 0;
    }

    /** The amount in major units, exactly: {@code 4900 usd} is 49.00. */
    public BigDecimal toMajor() {
        return BigDecimal.valueOf(minorUnits, exponent());
    }

    /** For people and exports: {@code 49.00 USD}, {@code 4900 JPY}, {@code 1.500 BHD}, {@code 1000.00 ISK}. */
    @Override
    public String toString() {
        return toMajor().toPlainString() + " " + currency.getCurrencyCode();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot combine " + this + " and " + other);
        }
    }
}
