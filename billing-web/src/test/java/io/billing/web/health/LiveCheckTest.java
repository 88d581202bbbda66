package io.billing.web.health;

import io.billing.platform.queue.LoopSupervisor;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LiveCheckTest {

    @Test
    void liveWhileARestartedLoopStaysUpAndNotWhenItKeepsDying() {
        LoopSupervisor supervisor = new LoopSupervisor(Duration.ZERO, 3, Duration.ofMinutes(5));
        LiveCheck check = new LiveCheck(supervisor);
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus());

        supervisor.died("billing-outbox-node-a", new StackOverflowError());
        HealthCheckResponse once = check.call();
        assertEquals(HealthCheckResponse.Status.UP, once.getStatus());
        assertEquals(1L, once.getData().orElseThrow().get("restarts billing-outbox-node-a"));

        supervisor.died("billing-outbox-node-a", new StackOverflowError());
        supervisor.died("billing-outbox-node-a", new StackOverflowError());
        assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus());
    }
}
