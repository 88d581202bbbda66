package io.billing.platform.persistence;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Maps {@link Instant} to a {@code TIMESTAMP WITH TIME ZONE} column wherever an entity holds one: the
 * persistence API of this release has no mapping of its own for it. The column side is an
 * {@link OffsetDateTime} (in UTC), not a {@code java.sql.Timestamp}: EclipseLink reads an {@code OffsetDateTime}
 * field through the driver's timestamp on PostgreSQL and on H2 alike, whereas for a {@code Timestamp} field it
 * hands H2's own value for such a column, an {@code OffsetDateTime}, to the converter as it is.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, OffsetDateTime> {

    @Override
    public OffsetDateTime convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public Instant convertToEntityAttribute(OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
