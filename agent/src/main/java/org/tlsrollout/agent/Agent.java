package org.tlsrollout.agent;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrollout.agent.host.Deployments;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.agent.http.AgentHttp;
import org.tlsrollout.agent.http.HttpStatusException;
import org.tlsrollout.agent.jobs.ActionHook;
import org.tlsrollout.agent.jobs.HandledJob;
import org.tlsrollout.agent.jobs.JobApplier;
import org.tlsrollout.agent.jobs.JobHandler;
import org.tlsrollout.agent.jobs.JobVerifier;
import org.tlsrollout.agent.jobs.JwksRefresher;
import org.tlsrollout.agent.jobs.TrustedKeys;
import org.tlsrollout.agent.jobs.Verification;
import org.tlsrollout.agent.registry.Registry;
import org.tlsrollout.agent.snapshot.LogSource;
import org.tlsrollout.agent.snapshot.SnapshotCollector;
import org.tlsrollout.contracts.AgentJob;
import org.tlsrollout.contracts.EcJwk;
import org.tlsrollout.contracts.EnrollmentProof;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.SnapshotSchema;

/**
 * The agent of one machine (api.md). One {@link #cycle()}:
 * <ol>
 *   <li>enrolls when it has no valid token;</li>
 *   <li>sends the snapshot still pending from an earlier cycle, if any; else, when a report is due, collects and
 *       sends a new one. A report is due when no accepted snapshot describes the machine as it is (none yet in
 *       this process, or a job changed the machine since) or the last one is older than
 *       {@link AgentConfig#reportInterval()};</li>
 *   <li>polls its jobs and handles them in {@code seq} order: delivers a result kept from an earlier cycle, or
 *       verifies the job (refreshing the trusted keys once when it names an unknown kid), applies or rejects
 *       it, and reports the result (REJECTED with the reason);</li>
 *   <li>after a job applied or failed (not rejected) sends a new snapshot once its result is delivered; after a
 *       RESTART action restarts through {@link Host} first.</li>
 * </ol>
 * A 401 makes it enroll again and repeat the call once; a 503 or 429 makes it wait {@code Retry-After} and
 * repeat, a network error makes it wait a moment and repeat, up to {@link AgentConfig#maxAttempts()} calls; a
 * snapshot that still could not be sent stays pending, never dropped. Everything is asynchronous on a shared {@link AgentHttp}: CPU work runs on the given executor and no
 * thread waits for the network, so a few threads drive many agents.
 */
public final class Agent {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** A token is renewed (a new enrollment, a new proof) this long before its {@code expiresAt}. */
    private static final Duration TOKEN_MARGIN = Duration.ofMinutes(5);
    private static final Duration NETWORK_BACKOFF = Duration.ofMillis(200);
    private static SnapshotSchema sharedSchema;

    private final String machineId;
    private final String siteCode;
    private final AgentConfig config;
    private final AgentHttp http;
    private final AgentState state;
    private final SnapshotCollector collector;
    private final JobHandler jobs;
    private final JwksRefresher refresher;
    private final Host host;
    private final Executor executor;
    private final Clock clock;

    private Agent(Builder b) {
        this.machineId = Objects.requireNonNull(b.machineId, "machineId");
        this.siteCode = Objects.requireNonNull(b.siteCode, "siteCode");
        this.config = Objects.requireNonNull(b.config, "config");
        this.http = Objects.requireNonNull(b.http, "http");
        this.state = Objects.requireNonNull(b.state, "state");
        this.host = Objects.requireNonNull(b.host, "host");
        this.executor = b.executor;
        this.clock = b.clock;
        TrustedKeys keys = b.keys != null ? b.keys : TrustedKeys.pinned(config.pinnedJwks());
        this.refresher = b.refresher != null ? b.refresher : config.jwksRefreshUrl() == null ? null
                : new JwksRefresher(keys, http, config.jwksRefreshUrl(), config.trustJwksRefreshOver(),
                        Duration.ofMinutes(5), clock);
        JobVerifier verifier = new JobVerifier(keys, machineId, state.jobSequence(), clock, config.clockSkew(),
                config.expectedIssuer(), config.laterRollups());
        JobApplier applier = new JobApplier(b.registry, b.deployments, host, b.prober, b.hook, state.undoLog(),
                config.laterRollups());
        this.jobs = new JobHandler(verifier, state.jobSequence(), applier, state.results());
        this.collector = SnapshotCollector.builder()
                .machine(machineId, siteCode)
                .registry(b.registry)
                .host(host)
                .prober(b.prober)
                .logs(b.logs)
                .lookBack(config.knownErrorLookBack())
                .sequence(state.snapshotSequence())
                .clock(clock)
                .agentVersion(config.agentVersion())
                .schema(b.validate ? (b.schema != null ? b.schema : sharedSchema()) : null)
                .build();
    }

    public static Builder builder(AgentConfig config) {
        return new Builder(config);
    }

    private static synchronized SnapshotSchema sharedSchema() {
        if (sharedSchema == null) {
            sharedSchema = new SnapshotSchema();
        }
        return sharedSchema;
    }

    public String machineId() {
        return machineId;
    }

    /** One cycle: report when due, poll, handle every job, report again when a job changed the machine. */
    public CompletableFuture<CycleReport> cycle() {
        Cycle c = new Cycle();
        return (reportDue() ? report(c, null) : CompletableFuture.<Void>completedFuture(null))
                .thenCompose(v -> pollAndHandle(c))
                .thenApply(v -> c.report());
    }

    /** Enrolls now, whatever token the agent holds. */
    public CompletableFuture<Void> enroll() {
        return enroll(new Cycle()).thenApply(t -> null);
    }

    /** Collects a snapshot of the machine now (probes included), without sending it. */
    public MachineSnapshot collectSnapshot() {
        return collector.collect(null);
    }

    /** Sends the pending snapshot, else a new one. */
    public CompletableFuture<CycleReport> report() {
        Cycle c = new Cycle();
        return report(c, null).thenApply(v -> c.report());
    }

    // ---- snapshots ------------------------------------------------------------------------------------------

    /** A snapshot pending, none accepted that describes the machine as it is, or the last one too old. */
    private boolean reportDue() {
        if (state.pendingSnapshot() != null) {
            return true;
        }
        Instant last = state.lastReportedAt();
        return last == null || !clock.instant().isBefore(last.plus(config.reportInterval()));
    }

    private CompletableFuture<Void> report(Cycle c, List<MachineSnapshot.Probe> probes) {
        MachineSnapshot pending = state.pendingSnapshot();
        CompletableFuture<Boolean> first = pending == null ? CompletableFuture.completedFuture(true) : send(c, pending);
        return first.thenCompose(sent -> {
            if (!sent) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.supplyAsync(() -> collector.collect(probes), executor)
                    .thenCompose(snapshot -> {
                        state.pendingSnapshot(snapshot);
                        return send(c, snapshot);
                    })
                    .thenApply(x -> null);
        });
    }

    /** True when accepted; false when the collector kept answering 503 (the snapshot stays pending). */
    private CompletableFuture<Boolean> send(Cycle c, MachineSnapshot snapshot) {
        return retrying(c, () -> authed(c, token -> http.postSnapshot(token, snapshot)))
                .thenApply(id -> {
                    state.pendingSnapshot(null);
                    state.lastReportedAt(clock.instant());
                    c.snapshotsSent++;
                    return true;
                })
                .exceptionallyCompose(e -> {
                    HttpStatusException h = status(e);
                    if (h != null && h.isRetryLater()) {
                        LOG.info("{}: collector busy after {} attempts; snapshot {} kept for the next cycle", machineId,
                                config.maxAttempts(), snapshot.sequence());
                        c.snapshotDeferred = true;
                        return CompletableFuture.completedFuture(false);
                    }
                    return CompletableFuture.failedFuture(unwrap(e));
                });
    }

    // ---- jobs -----------------------------------------------------------------------------------------------

    private CompletableFuture<Void> pollAndHandle(Cycle c) {
        return retrying(c, () -> authed(c, token -> http.pollJobs(token, machineId)))
                .thenCompose(polled -> handleAll(c, polled));
    }

    private CompletableFuture<Void> handleAll(Cycle c, List<AgentJob> polled) {
        Set<String> listed = new HashSet<>();
        for (AgentJob j : polled) {
            listed.add(j.jobId());
        }
        for (String kept : state.results().jobIds()) {
            if (!listed.contains(kept)) {
                state.results().remove(kept); // the service has it, or no longer wants it
            }
        }
        List<AgentJob> ordered = new ArrayList<>(polled);
        ordered.removeIf(j -> j == null || j.jobId() == null || j.jws() == null);
        ordered.sort(Comparator.comparingLong(j -> unverifiedSeq(j.jws())));
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (AgentJob job : ordered) {
            chain = chain.thenCompose(v -> c.stopped ? CompletableFuture.completedFuture(null) : handleOne(c, job));
        }
        return chain.thenCompose(v -> c.snapshotNeeded && !c.stopped
                ? report(c, c.probes) : CompletableFuture.completedFuture(null));
    }

    private CompletableFuture<Void> handleOne(Cycle c, AgentJob job) {
        String jobId = job.jobId();
        var kept = state.results().get(jobId);
        if (kept.isPresent()) {
            c.resent++;
            return deliver(c, jobId, kept.get());
        }
        return CompletableFuture.supplyAsync(() -> jobs.verify(jobId, job.jws()), executor)
                .thenCompose(v -> {
                    if (refresher != null && v instanceof Verification.Rejected r
                            && r.reason() == Verification.Reason.UNKNOWN_KEY) {
                        return refresher.refresh().thenApplyAsync(added -> jobs.verify(jobId, job.jws()), executor);
                    }
                    return CompletableFuture.completedFuture(v);
                })
                .thenApplyAsync(v -> {
                    if (v instanceof Verification.Verified ok) {
                        HandledJob applied = jobs.apply(jobId, ok);
                        if (applied.result().outcome() != JobOutcome.REJECTED) {
                            state.lastReportedAt(null); // applied or failed: the machine may have changed
                        }
                        return applied;
                    }
                    return jobs.reject(jobId, (Verification.Rejected) v);
                }, executor)
                .thenCompose(handled -> {
                    count(c, handled);
                    return deliver(c, jobId, handled.result())
                            .thenApplyAsync(x -> {
                                after(c, handled);
                                return null;
                            }, executor);
                });
    }

    private void count(Cycle c, HandledJob handled) {
        switch (handled.result().outcome()) {
            case SUCCEEDED -> c.succeeded++;
            case FAILED -> c.failed++;
            case REJECTED -> {
                c.rejected++;
                LOG.warn("{}: job {} rejected: {}", machineId, handled.jobId(), handled.result().detail());
            }
        }
    }

    /** What follows a delivered result: probes to report, a restart, a new snapshot. */
    private void after(Cycle c, HandledJob handled) {
        if (handled.snapshotRequested() || handled.result().outcome() != JobOutcome.REJECTED) {
            c.snapshotNeeded = true;
        }
        if (handled.probes() != null) {
            c.probes = handled.probes();
        }
        if (handled.restartReason() != null) {
            c.restarts++;
            boolean goesOn = host.restart(handled.restartReason());
            c.probes = null; // probes made before the restart say nothing about after it
            if (goesOn) {
                c.snapshotNeeded = true;
            } else {
                c.stopped = true; // this process ends with the machine; the snapshot follows the boot
            }
        }
    }

    private CompletableFuture<Void> deliver(Cycle c, String jobId, JobResult result) {
        return retrying(c, () -> authed(c, token -> http.postResult(token, machineId, jobId, result)))
                .thenRun(() -> state.results().remove(jobId))
                .exceptionallyCompose(e -> {
                    HttpStatusException h = status(e);
                    if (h != null && (h.status() == 404 || h.status() == 409 || h.status() == 410)) {
                        LOG.warn("{}: result of job {} not taken ({}); dropped", machineId, jobId, h.getMessage());
                        state.results().remove(jobId);
                        return CompletableFuture.completedFuture(null);
                    }
                    return CompletableFuture.failedFuture(unwrap(e));
                });
    }

    /** The {@code seq} claim read without verification, only to order the jobs; each is verified after. */
    static long unverifiedSeq(String jws) {
        try {
            String[] parts = jws.split("\\.", -1);
            byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
            return Json.MAPPER.readTree(payload).path("seq").asLong(Long.MAX_VALUE);
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }

    // ---- authentication and retries -------------------------------------------------------------------------

    private CompletableFuture<String> token(Cycle c) {
        String token = state.token();
        Instant expires = state.tokenExpiresAt();
        if (token != null && (expires == null || clock.instant().plus(TOKEN_MARGIN).isBefore(expires))) {
            return CompletableFuture.completedFuture(token);
        }
        return enroll(c);
    }

    /**
     * Enrolls with the machine's public key and a new proof of possession for each attempt (its {@code iat} must be
     * within 5 minutes of the collector's clock). The key pair is made on first use, off the network threads.
     */
    private CompletableFuture<String> enroll(Cycle c) {
        return CompletableFuture.supplyAsync(state::identity, executor)
                .thenCompose(keys -> {
                    Map<String, Object> jwk = EcJwk.toJwk(keys.getPublic());
                    return retrying(c, () -> http.enroll(machineId, siteCode, config.enrollSecret(), jwk,
                            EnrollmentProof.create(keys.getPrivate(), machineId, siteCode, clock.instant())));
                })
                .whenComplete((e, t) -> {
                    HttpStatusException h = t == null ? null : status(t);
                    if (h != null && h.status() == 409) {
                        LOG.error("{}: enrollment refused (409): the machine id is bound to another key; an operator"
                                + " releases it with DELETE /api/v1/agents/{}/identity", machineId, machineId);
                    }
                })
                .thenApply(e -> {
            if (e == null || e.agentToken() == null || e.agentToken().isBlank()) {
                throw new IllegalStateException("enrollment answered without an agent token");
            }
            state.token(e.agentToken(), e.expiresAt());
            c.enrollments++;
            return e.agentToken();
        });
    }

    /** Calls with the token; on 401 forgets it, enrolls again and calls once more. */
    private <T> CompletableFuture<T> authed(Cycle c, Function<String, CompletableFuture<T>> call) {
        return token(c).thenCompose(call).exceptionallyCompose(e -> {
            HttpStatusException h = status(e);
            if (h != null && h.isUnauthorized()) {
                LOG.info("{}: token refused; enrolling again", machineId);
                state.token(null, null);
                return enroll(c).thenCompose(call);
            }
            return CompletableFuture.failedFuture(unwrap(e));
        });
    }

    private <T> CompletableFuture<T> retrying(Cycle c, Supplier<CompletableFuture<T>> call) {
        return attempt(c, call, 1);
    }

    /**
     * Calls, and calls again when the service asks to be called later (503/429: after {@code Retry-After}) or
     * the network failed (a reset or closed connection, a timeout: after a short, doubling wait), up to
     * {@link AgentConfig#maxAttempts()} calls. Every agent call may be repeated: snapshots carry their
     * {@code sequence}, results are idempotent, polls and enrollment change nothing that matters.
     */
    private <T> CompletableFuture<T> attempt(Cycle c, Supplier<CompletableFuture<T>> call, int n) {
        return call.get().exceptionallyCompose(e -> {
            Throwable t = unwrap(e);
            Duration wait;
            if (t instanceof HttpStatusException h && h.isRetryLater()) {
                wait = h.retryAfter().orElse(config.defaultRetryAfter());
            } else if (t instanceof IOException) {
                wait = NETWORK_BACKOFF.multipliedBy(1L << Math.min(n - 1, 10));
            } else {
                return CompletableFuture.failedFuture(t);
            }
            if (n >= config.maxAttempts()) {
                return CompletableFuture.failedFuture(t);
            }
            if (wait.compareTo(config.maxRetryAfter()) > 0) {
                wait = config.maxRetryAfter();
            }
            c.retries++;
            Executor later = CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, executor);
            return CompletableFuture.supplyAsync(() -> null, later).thenCompose(x -> attempt(c, call, n + 1));
        });
    }

    private static HttpStatusException status(Throwable e) {
        return unwrap(e) instanceof HttpStatusException h ? h : null;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Counts of one cycle; touched only along its chain of futures, one step after the other. */
    private static final class Cycle {
        int enrollments;
        int snapshotsSent;
        boolean snapshotDeferred;
        int succeeded;
        int failed;
        int rejected;
        int resent;
        int restarts;
        int retries;
        boolean snapshotNeeded;
        boolean stopped;
        List<MachineSnapshot.Probe> probes;

        CycleReport report() {
            return new CycleReport(enrollments, snapshotsSent, snapshotDeferred, succeeded, failed, rejected, resent,
                    restarts, retries);
        }
    }

    /** Builds an agent; machine, http, state, registry, host, deployments and prober are required. */
    public static final class Builder {
        private final AgentConfig config;
        private String machineId;
        private String siteCode;
        private AgentHttp http;
        private TrustedKeys keys;
        private JwksRefresher refresher;
        private AgentState state;
        private Registry registry;
        private Host host;
        private Deployments deployments;
        private Prober prober;
        private LogSource logs;
        private ActionHook hook = ActionHook.NONE;
        private Executor executor = ForkJoinPool.commonPool();
        private Clock clock = Clock.systemUTC();
        private SnapshotSchema schema;
        private boolean validate = true;

        private Builder(AgentConfig config) {
            this.config = config;
        }

        public Builder machine(String machineId, String siteCode) {
            this.machineId = machineId;
            this.siteCode = siteCode;
            return this;
        }

        public Builder http(AgentHttp http) {
            this.http = http;
            return this;
        }

        /** The trusted keys, when shared by many agents; by default those pinned in the configuration. */
        public Builder trustedKeys(TrustedKeys keys) {
            this.keys = keys;
            return this;
        }

        /** A shared refresher; by default one is built when the configuration names a refresh URL. */
        public Builder jwksRefresher(JwksRefresher refresher) {
            this.refresher = refresher;
            return this;
        }

        public Builder state(AgentState state) {
            this.state = state;
            return this;
        }

        public Builder registry(Registry registry) {
            this.registry = registry;
            return this;
        }

        public Builder host(Host host) {
            this.host = host;
            return this;
        }

        public Builder deployments(Deployments deployments) {
            this.deployments = deployments;
            return this;
        }

        public Builder prober(Prober prober) {
            this.prober = prober;
            return this;
        }

        public Builder logs(LogSource logs) {
            this.logs = logs;
            return this;
        }

        public Builder actionHook(ActionHook hook) {
            this.hook = hook;
            return this;
        }

        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The schema instance to check snapshots with (shared by default). */
        public Builder schema(SnapshotSchema schema) {
            this.schema = schema;
            return this;
        }

        /** Whether every snapshot is checked against the schema before it is sent (default true). */
        public Builder validateSnapshots(boolean validate) {
            this.validate = validate;
            return this;
        }

        public Agent build() {
            return new Agent(this);
        }
    }
}
