package io.billing.tenant;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Maps {@link TenantId} to its text column wherever an entity holds one. */
@Converter(autoApply = true)
public class TenantIdConverter implements AttributeConverter<TenantId, String> {

    @Override
    public String convertToDatabaseColumn(TenantId tenant) {
        return tenant == null ? null : tenant.value();
    }

    @Override
    public TenantId convertToEntityAttribute(String value) {
        return TenantId.ofNullable(value);
    }
}
