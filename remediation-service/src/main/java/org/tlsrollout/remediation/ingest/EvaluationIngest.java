package org.tlsrollout.remediation.ingest;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.tlsrollout.remediation.config.RemediationConfig;
import org.tlsrollout.remediation.DatabaseFailures;
import org.tlsrollout.remediation.machine.MachineStore;
import org.tlsrollout.remediation.machine.MachineUpdate;

/**
 * Makes a batch of evaluations durable in the estate state, whatever the database does meanwhile:
 * <ul>
 * <li>a failure of the database (no connection, shutdown, deadlock, timeout, missing table...) is retried, the whole
 * batch again, with a pause that doubles from {@code remediation.ingest.retry-initial-backoff} up to
 * {@code retry-max-backoff}, for as long as it takes: nothing is lost, nothing is dead-lettered, and the consumer
 * waits (Kafka keeps the records; their offsets are not committed);</li>
 * <li>a refusal of the data (SQLSTATE class 22 or 23, which some row causes) is narrowed down by halving the batch
 * until the rows that cause it are alone; those are returned, to be dead-lettered, and the others written.</li>
 * </ul>
 * While it retries, {@link #failure()} says why (readiness reports it).
 */
@ApplicationScoped
public class EvaluationIngest {
    private static final Logger LOG = Logger.getLogger(EvaluationIngest.class);

    private final MachineStore store;
    private final RemediationConfig.Ingest config;
    private volatile boolean stopping;
    private volatile Failure failure;

    public EvaluationIngest(MachineStore store, RemediationConfig config) {
        this.store = store;
        this.config = config.ingest();
    }

    /** A row of a batch that the database refuses, by its index in the batch. */
    public record Refusal(int index, String reason) {
    }

    /** Why the last attempt failed, since when the writes have been failing. */
    public record Failure(Instant since, int attempts, String reason) {
    }

    /**
     * Returns once every update of {@code updates} is committed, except the returned ones, which the database
     * refuses as data.
     *
     * @throws IngestStoppedException when the application stops before the database takes the batch
     */
    public List<Refusal> apply(List<MachineUpdate> updates) {
        List<Refusal> refusals = new ArrayList<>();
        apply(updates, 0, refusals);
        return refusals;
    }

    /** The failure that writes are retrying after, if any. */
    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    private void apply(List<MachineUpdate> updates, int offset, List<Refusal> refusals) {
        if (updates.isEmpty()) {
            return;
        }
        RuntimeException refused = applyRetrying(updates);
        if (refused == null) {
            return;
        }
        if (updates.size() == 1) {
            MachineUpdate update = updates.get(0);
            String reason = "the database refuses this evaluation: " + DatabaseFailures.describe(refused);
            LOG.warnf("evaluation of machine %s collected at %s is dead-lettered: %s", update.machineId(),
                    update.collectedAt(), reason);
            refusals.add(new Refusal(offset, reason));
            return;
        }
        int half = updates.size() / 2;
        apply(updates.subList(0, half), offset, refusals);
        apply(updates.subList(half, updates.size()), offset + half, refusals);
    }

    /** Writes {@code updates}, retrying failures of the database; returns the data error, or null once committed. */
    private RuntimeException applyRetrying(List<MachineUpdate> updates) {
        Duration backoff = config.retryInitialBackoff();
        int attempts = 0;
        while (true) {
            try {
                store.apply(updates);
                if (failure != null) {
                    LOG.infof("evaluations are written again, after %d failed attempts", attempts);
                    failure = null;
                }
                return null;
            } catch (RuntimeException e) {
                if (DatabaseFailures.isDataError(e)) {
                    return e;
                }
                attempts++;
                String reason = DatabaseFailures.describe(e);
                Failure previous = failure;
                failure = new Failure(previous == null ? Instant.now() : previous.since(), attempts, reason);
                if (attempts == 1 || Integer.bitCount(attempts) == 1) {
                    LOG.errorf(e, "writing %d evaluations failed (attempt %d), retrying in %d ms: %s",
                            updates.size(), attempts, backoff.toMillis(), reason);
                }
                pause(backoff);
                backoff = backoff.multipliedBy(2);
                if (backoff.compareTo(config.retryMaxBackoff()) > 0) {
                    backoff = config.retryMaxBackoff();
                }
            }
        }
    }

    private void pause(Duration backoff) {
        long until = System.nanoTime() + backoff.toNanos();
        try {
            while (!stopping) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                Thread.sleep(Math.min(Duration.ofNanos(left).toMillis() + 1, 100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IngestStoppedException("the application stops while evaluations wait for the database");
    }

    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
    }
}
