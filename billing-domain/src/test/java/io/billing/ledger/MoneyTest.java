package io.billing.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoneyTest {

    @Test
    void theExponentIsStripes() {
        assertEquals("49.00 USD", Money.ofStripe(4900, "usd").toString());
        assertEquals("4900 JPY", Money.ofStripe(4900, "jpy").toString());
        assertEquals("1.500 BHD", Money.ofStripe(1500, "bhd").toString());
        assertEquals(new BigDecimal("-0.05"), Money.ofStripe(-5, "eur").toMajor());
        assertEquals(0, Money.ofStripe(1, "jpy").exponent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
            "XAF", "XOF", "XPF"})
    void stripesZeroDecimalCurrenciesHaveNoMinorUnits(String code) {
        Money amount = Money.ofStripe(4900, code.toLowerCase(java.util.Locale.ROOT));
        assertEquals(0, amount.exponent());
        assertEquals(new BigDecimal("4900"), amount.toMajor());
        assertEquals("4900 " + code, amount.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BHD", "JOD", "KWD", "OMR", "TND"})
    void stripesThreeDecimalCurrenciesHaveThreeMinorDigits(String code) {
        Money amount = Money.ofStripe(5120, code.toLowerCase(java.util.Locale.ROOT));
        assertEquals(3, amount.exponent());
        assertEquals(new BigDecimal("5.120"), amount.toMajor());
        assertEquals("5.120 " + code, amount.toString());
    }

    /** Every other currency Stripe charges in is two-decimal, whatever ISO 4217 says (IQD and LYD: three). */
    @ParameterizedTest
    @ValueSource(strings = {"USD", "EUR", "GBP", "CHF", "ISK", "HUF", "TWD", "IDR", "IQD", "LYD", "MRU", "COP"})
    void everyOtherCurrencyIsTwoDecimal(String code) {
        Money amount = Money.ofStripe(4900, code.toLowerCase(java.util.Locale.ROOT));
        assertEquals(2, amount.exponent());
        assertEquals(new BigDecimal("49.00"), amount.toMajor());
        assertEquals("49.00 " + code, amount.toString());
    }

    @Test
    void stripesSpecialCasesFollowItsApiNotIso() {
        // ISK: zero-decimal in ISO, two-decimal in Stripe's API (amounts divisible by 100): 100000 is 1000 krónur.
        assertEquals(0, Money.currency("isk").getDefaultFractionDigits(), "the ISO exponent this must not use");
        assertEquals("1000.00 ISK", Money.ofStripe(100000, "isk").toString());
        assertEquals(new BigDecimal("1000.00"), Money.ofStripe(100000, "isk").toMajor());
        // HUF and TWD: two-decimal in the API (their payouts only are zero-decimal).
        assertEquals("10.45 HUF", Money.ofStripe(1045, "huf").toString());
        assertEquals("1500.00 TWD", Money.ofStripe(150000, "twd").toString());
        // MGA: two digits in Java's ISO table, zero-decimal at Stripe.
        assertEquals(2, Money.currency("mga").getDefaultFractionDigits(), "the ISO exponent this must not use");
        assertEquals("5000 MGA", Money.ofStripe(5000, "mga").toString());
        assertEquals(0, Money.ofStripe(5000, "mga").exponent());
        // UGX: zero-decimal in the API (amounts divisible by 100).
        assertEquals("10000 UGX", Money.ofStripe(10000, "ugx").toString());
        assertEquals(new BigDecimal("10000"), Money.ofStripe(10000, "ugx").toMajor());
    }

    @Test
    void arithmeticStaysInOneCurrencyAndNeverOverflowsSilently() {
        Money a = Money.ofStripe(4900, "usd");
        assertEquals(Money.ofStripe(3400, "usd"), a.minus(Money.ofStripe(1500, "usd")));
        assertThrows(IllegalArgumentException.class, () -> a.plus(Money.ofStripe(1, "eur")));
        assertThrows(ArithmeticException.class, () -> new Money(Long.MAX_VALUE, a.currency()).plus(a));
    }

    @Test
    void zeroNegationAndDifferenceKeepTheCurrency() {
        assertEquals(Money.ofStripe(0, "jpy"), Money.zero(Money.currency("jpy")));
        assertTrue(Money.zero(Money.currency("jpy")).isZero());
        assertFalse(Money.ofStripe(1, "jpy").isZero());
        assertFalse(Money.ofStripe(-1, "jpy").isZero());
        assertEquals(Money.ofStripe(-4900, "usd"), Money.ofStripe(4900, "usd").negate());
        assertEquals(Money.ofStripe(4900, "usd"), Money.ofStripe(1500, "usd").plus(Money.ofStripe(3400, "usd")));
        assertThrows(IllegalArgumentException.class, () -> Money.ofStripe(4900, "usd").minus(Money.ofStripe(1, "eur")));
        assertThrows(ArithmeticException.class, () -> new Money(Long.MIN_VALUE, Money.currency("usd")).negate());
        assertThrows(ArithmeticException.class,
                () -> new Money(Long.MIN_VALUE, Money.currency("usd")).minus(Money.ofStripe(1, "usd")));
    }

    @Test
    void unknownOrMalformedCurrenciesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Money.ofStripe(1, "usdx"));
        assertThrows(IllegalArgumentException.class, () -> Money.ofStripe(1, "zzz"));
        assertThrows(IllegalArgumentException.class, () -> Money.ofStripe(1, null));
        assertThrows(IllegalArgumentException.class, () -> Money.ofStripe(1, "xxx"), "no minor units");
    }
}
