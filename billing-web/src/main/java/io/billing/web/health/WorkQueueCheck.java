package io.billing.web.health;

import io.billing.platform.health.QueueHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * Not ready while the work queue is stuck: its oldest due event has waited longer than
 * {@code BILLING_HEALTH_MAX_QUEUE_WAIT_SECONDS}; the answer names the event and how long it waited.
 */
@Readiness
@ApplicationScoped
public class WorkQueueCheck implements HealthCheck {


    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "billing.health.max-queue-wait-seconds", defaultValue = "300")
    long maxQueueWaitSeconds;

    private QueueHealth queue;

    private synchronized QueueHealth queue() throws javax.naming.NamingException {
        if (queue == null) {
            queue = new QueueHealth(ApplicationDataSource.lookup(), clock, Duration.ofSeconds(maxQueueWaitSeconds));
        }
        return queue;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            QueueHealth queue = queue();
            QueueHealth.Status status = queue.check();
            HealthCheckResponseBuilder response = HealthCheckResponse.named("work-queue").status(!status.stuck())
                    .withData("max_wait_seconds", queue.bound().toSeconds())
                    .withData("oldest_due_wait_seconds", status.waitingFor().toSeconds());
            if (status.eventId() != null) {
                response.withData("oldest_due_event", status.eventId());
            }
            if (status.stuck()) {
                response.withData("reason", "event " + status.eventId() + " has been due since " + status.dueAt()
                        + " and no worker took it");
            }
            return response.build();
        } catch (SQLException | javax.naming.NamingException e) {
            return HealthCheckResponse.named("work-queue").down().withData("error", "the database did not answer").build();
        }
    }
}
