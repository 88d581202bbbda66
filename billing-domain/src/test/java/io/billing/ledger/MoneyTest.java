package io.billing.ledger;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoneyTest {

    @Test
    void theExponentComesFromTheCurrency() {
        assertEquals("49.00 USD", Money.ofStripe(4900, "usd").toString());
        assertEquals("4900 JPY", Money.ofStripe(4900, "jpy").toString());
        assertEquals("1.500 BHD", Money.ofStripe(1500, "bhd").toString());
        assertEquals(new BigDecimal("-0.05"), Money.ofStripe(-5, "eur").toMajor());
        assertEquals(0, Money.ofStripe(1, "jpy").exponent());
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
