package io.billing.ledger;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Currency;

/**
 * Maps a {@link Currency} to its ISO 4217 code in a three-letter column, the way the ledger has always stored it
 * ({@code USD}). The ledger's entities keep an amount as its minor units beside this currency and hand it out as
 * {@link Money}: a line's debit and credit share one currency column, which two embedded amounts could not.
 */
@Converter
public class CurrencyConverter implements AttributeConverter<Currency, String> {

    @Override
    public String convertToDatabaseColumn(Currency currency) {
        return currency == null ? null : currency.getCurrencyCode();
    }

    @Override
    public Currency convertToEntityAttribute(String code) {
        return code == null ? null : Money.currency(code);
    }
}
