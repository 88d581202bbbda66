package io.billing.inbox;

import io.billing.platform.persistence.SchemaMigration;
import io.billing.platform.queue.WorkSignal;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The application's event inbox: where the webhook intake stores every verified event.
 *
 * <p>A thin container-managed shell around {@link GroupCommitWriter}: it takes the data source, the
 * clock and the tuning from the container and runs the writers on container-managed threads.
 */
@ApplicationScoped
public class EventInbox {

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    Clock clock;

    @Inject
    WorkSignal signal;

    @Inject
    @ConfigProperty(name = "billing.intake.writer-threads", defaultValue = "2")
    int writerThreads;

    @Inject
    @ConfigProperty(name = "billing.intake.max-batch-size", defaultValue = "256")
    int maxBatchSize;

    @Inject
    @ConfigProperty(name = "billing.intake.queue-capacity", defaultValue = "4096")
    int queueCapacity;

    @Inject
    @ConfigProperty(name = "billing.intake.commit-timeout-ms", defaultValue = "5000")
    long commitTimeoutMillis;

    private GroupCommitWriter writer;

    @PostConstruct
    void start() {
        writer = new GroupCommitWriter(dataSource, clock,
                new GroupCommitWriter.Settings(writerThreads, maxBatchSize, queueCapacity,
                        Duration.ofMillis(commitTimeoutMillis)),
                threadFactory);
    }

    /** Stores one delivery; returns once it is committed. See {@link GroupCommitWriter#store}. */
    public StoreOutcome store(EventEnvelope event) throws InboxUnavailableException {
        StoreOutcome outcome = writer.store(event);
        if (outcome == StoreOutcome.STORED) {
            signal.workArrived(); // idle workers on this node pick it up now rather than at their next poll
        }
        return outcome;
    }

    @PreDestroy
    void stop() {
        writer.close();
    }
}
