package io.billing.web.health;

import io.billing.platform.queue.LoopSupervisor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Live while the application answers and its background loops (workers, outbox dispatcher, recovery) do not
 * keep dying: a loop that dies is restarted in place, and only when that keeps failing should an orchestrator
 * restart the whole service. The answer gives each restarted loop's count.
 */
@Liveness
@ApplicationScoped
public class LiveCheck implements HealthCheck {

    static final String NAME = "billing-service";

    @Inject
    LoopSupervisor supervisor;

    public LiveCheck() {
    }

    LiveCheck(LoopSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, Object> data = new LinkedHashMap<>();
        supervisor.restarts().forEach((loop, count) -> data.put("restarts " + loop, count));
        boolean live = !supervisor.keepsDying();
        if (!live) {
            data.put("reason", "a background loop keeps dying although it is restarted: see the log for its cause");
        }
        return new HealthCheckResponse(NAME, live ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
                data.isEmpty() ? Optional.empty() : Optional.of(data));
    }
}
