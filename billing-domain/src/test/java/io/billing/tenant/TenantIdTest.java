package io.billing.tenant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TenantIdTest {

    @Test
    void refusesBlankAndOverlongIds() {
        assertThrows(NullPointerException.class, () -> new TenantId(null));
        assertThrows(IllegalArgumentException.class, () -> new TenantId(" "));
        assertThrows(IllegalArgumentException.class, () -> new TenantId("t".repeat(TenantId.MAX_LENGTH + 1)));
        assertEquals("t".repeat(TenantId.MAX_LENGTH), new TenantId("t".repeat(TenantId.MAX_LENGTH)).value());
    }

    @Test
    void convertsToAndFromItsColumn() {
        TenantIdConverter converter = new TenantIdConverter();
        assertEquals("tenant_acme", converter.convertToDatabaseColumn(TenantId.of("tenant_acme")));
        assertEquals(TenantId.of("tenant_acme"), converter.convertToEntityAttribute("tenant_acme"));
        assertNull(converter.convertToDatabaseColumn(null));
        assertNull(converter.convertToEntityAttribute(null));
    }
}
