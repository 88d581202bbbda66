package io.billing.processing;

import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlingContext;

import java.sql.PreparedStatement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test handler for one event type that fails a set number of times and then records the event in
 * {@code test_effect} (one row per application, so a double application shows as two rows).
 */
final class FaultyHandler implements EventHandler {

    static final String TABLE = "CREATE TABLE test_effect (event_id VARCHAR(255) NOT NULL, node VARCHAR(128))";

    private final String type;
    final AtomicInteger failuresLeft;
    final AtomicInteger calls = new AtomicInteger();

    FaultyHandler(String type, int failures) {
        this.type = type;
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public Set<String> eventTypes() {
        return Set.of(type);
    }

    @Override
    public boolean tenantScoped() {
        return false;
    }

    @Override
    public void handle(HandlingContext context) throws Exception {
        calls.incrementAndGet();
        try (PreparedStatement insert = context.connection().prepareStatement(
                "INSERT INTO test_effect (event_id, node) VALUES (?, ?)")) {
            insert.setString(1, context.event().eventId());
            insert.setString(2, context.event().lease().owner());
            insert.executeUpdate();
        }
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("rating service answered 503 for " + context.event().eventId());
        }
    }
}
