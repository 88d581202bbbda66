package io.billing.processing;

import io.billing.processing.handler.EventHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The handlers by event type. Several handlers may share a type; they run in registration order. */
public final class HandlerRegistry {

    private final Map<String, List<EventHandler>> byType = new HashMap<>();

    public HandlerRegistry(Iterable<? extends EventHandler> handlers) {
        for (EventHandler handler : handlers) {
            for (String type : handler.eventTypes()) {
                byType.computeIfAbsent(type, t -> new ArrayList<>()).add(handler);
            }
        }
    }

    /** The handlers for a type; empty when the type is not handled (the event ends as IGNORED). */
    public List<EventHandler> handlersFor(String type) {
        return byType.getOrDefault(type, List.of());
    }
}
