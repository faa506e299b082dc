package org.tlsrollout.collector.rest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;
import org.tlsrollout.collector.config.CollectorConfig;
import org.tlsrollout.collector.messaging.SnapshotPublisher;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.contracts.SnapshotSchema;

/**
 * The one path a snapshot takes into the system, for agents and imports alike: validated whole against the
 * schema, then published and acknowledged by Kafka. Counts {@code tlsrollout_snapshots_received_total}.
 */
@ApplicationScoped
public class SnapshotIntake {
    private static final Logger LOG = Logger.getLogger(SnapshotIntake.class);

    /** How far ahead of the collector's clock a snapshot's collectedAt may be. */
    static final Duration MAX_CLOCK_AHEAD = Duration.ofMinutes(5);

    private final SnapshotSchema schema = new SnapshotSchema();
    private final Clock clock = Clock.systemUTC();
    private final SnapshotPublisher publisher;
    private final CollectorConfig config;
    private final Counter accepted;
    private final Counter rejected;

    public SnapshotIntake(SnapshotPublisher publisher, CollectorConfig config, MeterRegistry registry) {
        this.publisher = publisher;
        this.config = config;
        this.accepted = Counter.builder("tlsrollout.snapshots.received").tag("outcome", "accepted")
                .description("Snapshots received, by outcome").register(registry);
        this.rejected = Counter.builder("tlsrollout.snapshots.received").tag("outcome", "rejected")
                .description("Snapshots received, by outcome").register(registry);
    }

    /**
     * The schema, and a {@code collectedAt} at most 5 minutes after the collector's clock (api.md): a snapshot from
     * the future would outrank every real one of its machine.
     */
    public SnapshotSchema.Result check(String json) {
        SnapshotSchema.Result result = schema.check(json);
        if (result.valid() && result.snapshot().collectedAt() != null
                && result.snapshot().collectedAt().isAfter(clock.instant().plus(MAX_CLOCK_AHEAD))) {
            result = new SnapshotSchema.Result(null, null, List.of(new FieldError("/collectedAt",
                    "is more than 5 minutes after the collector's clock (" + clock.instant() + ")")));
        }
        if (!result.valid()) {
            rejected.increment();
        }
        return result;
    }

    /** Publishes a checked snapshot; fails with 503 problem details when Kafka does not acknowledge it in time. */
    public Uni<String> publish(SnapshotSchema.Result valid) {
        Duration timeout = config.intake().publishTimeout();
        return publisher.publish(valid.snapshot().machineId(), valid.document())
                .ifNoItem().after(timeout).fail()
                .onItem().invoke(() -> accepted.increment())
                .onFailure().transform(e -> {
                    LOG.warnf("Kafka did not acknowledge a snapshot of %s: %s", valid.snapshot().machineId(), e.toString());
                    return ProblemException.unavailable("Kafka cannot take snapshots now; the snapshot was not accepted",
                            config.intake().retryAfterSeconds());
                });
    }

    public void countRejected() {
        rejected.increment();
    }
}
