package io.billing.stripe.view;

import java.util.Objects;

/**
 * An amount as Stripe sends it: an integer of the currency's minor units and a three-letter currency code
 * (lower case from Stripe). The ledger turns it into money; this value only refuses what is no amount.
 */
public record Amount(long minorUnits, String currency) {

    public Amount {
        Objects.requireNonNull(currency, "currency");
        if (currency.length() != 3) {
            throw new IllegalArgumentException("a three-letter currency code is required: " + currency);
        }
    }
}
