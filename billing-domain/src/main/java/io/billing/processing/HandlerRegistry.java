package io.billing.processing;

import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The handlers by event type. Several handlers may share a type; they run in their {@link HandlerOrder},
 * and in registration order where that says nothing.
 */
public final class HandlerRegistry {

    private final List<EventHandler> ordered;
    private final Map<String, List<EventHandler>> byType = new HashMap<>();

    public HandlerRegistry(Iterable<? extends EventHandler> handlers) {
        List<EventHandler> all = new ArrayList<>();
        handlers.forEach(all::add);
        all.sort(Comparator.comparingInt(HandlerRegistry::order)); // stable: ties keep registration order
        ordered = List.copyOf(all);
        for (EventHandler handler : ordered) {
            for (String type : handler.eventTypes()) {
                byType.computeIfAbsent(type, t -> new ArrayList<>()).add(handler);
            }
        }
    }

    /** The handlers for a type; empty when the type is not handled (the event ends as IGNORED). */
    public List<EventHandler> handlersFor(String type) {
        return byType.getOrDefault(type, List.of());
    }

    /** Every handler, in the order they run where they share a type. */
    public List<EventHandler> handlers() {
        return ordered;
    }

    private static int order(EventHandler handler) {
        HandlerOrder order = handler.getClass().getAnnotation(HandlerOrder.class);
        return order == null ? Integer.MAX_VALUE : order.value();
    }
}
