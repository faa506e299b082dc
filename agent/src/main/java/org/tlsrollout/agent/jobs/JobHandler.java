package org.tlsrollout.agent.jobs;

import java.util.List;
import java.util.Objects;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.JobResult;

/**
 * Verifies, then applies or rejects, one job, keeping its result in the {@link ResultStore} until it is
 * delivered. For a verified job, in this order: a provisional FAILED result is kept, the job's {@code seq} is
 * taken (so the job can never be applied twice), the job is applied, its result replaces the provisional one.
 * A rejected job changes nothing: neither the machine nor the sequence.
 */
public final class JobHandler {
    static final String INTERRUPTED =
            "the agent stopped while applying this job; what it had changed is not known";

    private final JobVerifier verifier;
    private final SequenceStore sequence;
    private final JobApplier applier;
    private final ResultStore results;

    public JobHandler(JobVerifier verifier, SequenceStore sequence, JobApplier applier, ResultStore results) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.sequence = Objects.requireNonNull(sequence, "sequence");
        this.applier = Objects.requireNonNull(applier, "applier");
        this.results = Objects.requireNonNull(results, "results");
    }

    public HandledJob handle(String jobId, String jws) {
        Verification v = verify(jobId, jws);
        return v instanceof Verification.Verified ok ? apply(jobId, ok) : reject(jobId, (Verification.Rejected) v);
    }

    public Verification verify(String jobId, String jws) {
        return verifier.verify(jobId, jws);
    }

    public HandledJob reject(String jobId, Verification.Rejected rejected) {
        JobResult result = new JobResult(JobOutcome.REJECTED, rejected.message(), List.of());
        results.put(jobId, result);
        return HandledJob.of(jobId, result);
    }

    public HandledJob apply(String jobId, Verification.Verified verified) {
        results.put(jobId, new JobResult(JobOutcome.FAILED, INTERRUPTED, List.of()));
        long seq = verified.claims().seq();
        boolean taken;
        try {
            taken = sequence.advance(seq);
        } catch (RuntimeException e) {
            return reject(jobId, new Verification.Rejected(Verification.Reason.STATE_UNAVAILABLE,
                    "cannot keep seq " + seq + ": " + e.getMessage()));
        }
        if (!taken) {
            return reject(jobId, new Verification.Rejected(Verification.Reason.REPLAYED,
                    "seq " + seq + " is not greater than the last applied seq " + sequence.last()));
        }
        ApplyOutcome outcome = applier.apply(verified.claims());
        results.put(jobId, outcome.result());
        return new HandledJob(jobId, outcome.result(), outcome.restartReason(), outcome.snapshotRequested(),
                outcome.probes());
    }
}
