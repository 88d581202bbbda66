package io.billing.processing;

import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Handlers of a shared type run in their own order, not in the order someone registered them in. */
class HandlerRegistryTest {

    /** Applies {@code invoice.paid} and does nothing with it. */
    private static class InvoicePaid implements EventHandler {
        @Override
        public Set<String> eventTypes() {
            return Set.of("invoice.paid");
        }

        @Override
        public void handle(HandlingContext context) {
        }
    }

    @HandlerOrder(10)
    private static final class Early extends InvoicePaid {
    }

    @HandlerOrder(20)
    private static final class Late extends InvoicePaid {
    }

    @Test
    void handlersRunInTheirOrderAndThoseWithoutOneAfterThemAsRegistered() {
        EventHandler early = new Early();
        EventHandler late = new Late();
        EventHandler first = new InvoicePaid();
        EventHandler second = new InvoicePaid();
        HandlerRegistry registry = new HandlerRegistry(List.of(first, late, second, early));
        assertEquals(List.of(early, late, first, second), registry.handlersFor("invoice.paid"));
        assertEquals(List.of(early, late, first, second), registry.handlers());
    }
}
