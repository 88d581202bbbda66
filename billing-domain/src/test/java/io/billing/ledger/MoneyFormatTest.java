package io.billing.ledger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MoneyFormatTest {

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource(delimiter = '|', value = {
            // two decimals, the symbol before the figure
            "2900        | usd | $29.00",
            "5           | usd | $0.05",
            "0           | usd | $0.00",
            "1234        | eur | €12.34",
            "99          | gbp | £0.99",
            // Stripe's zero-decimal currencies: no decimals at all
            "500         | jpy | ¥500",
            "1234567     | jpy | ¥1,234,567",
            "5000        | krw | ₩5,000",
            // Stripe's three-decimal currencies, written with their code
            "5120        | kwd | KWD 5.120",
            "1500        | bhd | BHD 1.500",
            "1234567     | kwd | KWD 1,234.567",
            // Stripe's two decimals where ISO 4217 says none: 100000 isk is 1000.00 krónur
            "100000      | isk | ISK 1,000.00",
            // another dollar is not the US dollar
            "2900        | cad | CA$29.00",
            // thousands grouped, however many
            "123456789   | usd | $1,234,567.89",
            "100000      | usd | $1,000.00",
            "99999       | usd | $999.99",
            "9223372036854775807 | usd | $92,233,720,368,547,758.07",
            // negative amounts: the minus before the symbol or the code
            "-1500       | usd | -$15.00",
            "-1234567    | jpy | -¥1,234,567",
            "-5120       | kwd | -KWD 5.120",
            "-9223372036854775808 | usd | -$92,233,720,368,547,758.08",
            // the case of the code does not matter
            "2900        | USD | $29.00"})
    void writesTheAmountWithItsCurrencysDecimalsSymbolAndGrouping(long minorUnits, String currency, String shown) {
        assertEquals(shown, MoneyFormat.format(minorUnits, currency));
        assertEquals(shown, MoneyFormat.format(Money.ofStripe(minorUnits, currency)));
    }

    @Test
    void nothingIsShownWithoutAnAmountOrACurrency() {
        assertNull(MoneyFormat.format(null, "usd"));
        assertNull(MoneyFormat.format(2900L, null));
        assertThrows(NullPointerException.class, () -> MoneyFormat.format(null));
    }

    @Test
    void aCodeThatIsNoMoneyIsShownAsStripeSentIt() {
        assertEquals("2900 ZZZ", MoneyFormat.format(2900L, "zzz"));
        assertEquals("2900 XXX", MoneyFormat.format(2900L, "xxx"), "a currency without minor units");
    }
}
