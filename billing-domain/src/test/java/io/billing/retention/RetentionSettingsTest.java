package io.billing.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings that would make retention unsafe are refused when the node starts, not found out later. */
class RetentionSettingsTest {

    private static RetentionSettings settings(int payloadDays, int outboxDays, int batchSize) {
        return new RetentionSettings(Duration.ofDays(payloadDays), Duration.ofDays(30), Duration.ofDays(outboxDays),
                batchSize, Duration.ZERO, Duration.ofMinutes(5));
    }

    @Test
    void deliveredMessagesAreKeptAtLeastAsLongAsBodies() {
        assertDoesNotThrow(() -> settings(90, 90, 1000));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> settings(90, 30, 1000));
        assertTrue(refused.getMessage().contains("at least as long as event bodies (90 days)"), refused.getMessage());
    }

    @Test
    void aBatchHoldsOneToTenThousandRows() {
        assertDoesNotThrow(() -> settings(90, 90, RetentionSettings.MAX_BATCH_SIZE));
        assertThrows(IllegalArgumentException.class, () -> settings(90, 90, 0));
        assertThrows(IllegalArgumentException.class, () -> settings(90, 90, RetentionSettings.MAX_BATCH_SIZE + 1));
        assertThrows(IllegalArgumentException.class, () -> settings(0, 90, 1000));
    }
}
