package org.tlsrollout.agent.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.tlsrollout.agent.Agent;
import org.tlsrollout.agent.AgentConfig;
import org.tlsrollout.agent.CycleReport;
import org.tlsrollout.agent.http.AgentHttp;
import org.tlsrollout.agent.jobs.JwksRefresher;
import org.tlsrollout.agent.jobs.TrustedKeys;
import org.tlsrollout.contracts.SnapshotSchema;

/**
 * Runs a real {@link Agent} for every machine of a simulated estate against the real services, with at most
 * {@code maxInFlight} cycles at a time. Agents are built for a cycle and dropped after it (their state lives in
 * the machine), share one {@link AgentHttp}, one set of trusted keys and the executor; nothing blocks a thread
 * while a request is out, so two cores drive 100,000 agents.
 */
public final class SimulatedFleet {
    private final SimulatedEstate estate;
    private final AgentConfig config;
    private final AgentHttp http;
    private final TrustedKeys keys;
    private final JwksRefresher refresher;
    private final Executor executor;
    private final double failureRate;
    private final SnapshotSchema schema;

    /**
     * @param refresher   shared key refresher, or null
     * @param failureRate share of applied jobs that fail (deterministic with the estate seed)
     * @param schema      checks every snapshot before it is sent; null to skip (faster for large estates)
     */
    public SimulatedFleet(SimulatedEstate estate, AgentConfig config, AgentHttp http, TrustedKeys keys,
            JwksRefresher refresher, Executor executor, double failureRate, SnapshotSchema schema) {
        this.estate = Objects.requireNonNull(estate, "estate");
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.refresher = refresher;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.failureRate = failureRate;
        this.schema = schema;
        new SimulatedFailures(estate.seed(), 0, failureRate); // checks the rate
    }

    /**
     * A fleet with everything shared built from the configuration: one HTTP client whose callbacks run on
     * {@code executor}, the pinned keys, and a key refresher when the configuration names a refresh URL.
     */
    public static SimulatedFleet create(SimulatedEstate estate, AgentConfig config, Executor executor,
            double failureRate, boolean validateSnapshots) {
        AgentHttp http = new AgentHttp(AgentHttp.newClient(executor, Duration.ofSeconds(10), config.caFile()),
                config.collectorUrl(),
                config.remediationUrl(), config.requestTimeout(), estate.clock());
        TrustedKeys keys = TrustedKeys.pinned(config.pinnedJwks());
        JwksRefresher refresher = config.jwksRefreshUrl() == null ? null : new JwksRefresher(keys, http,
                config.jwksRefreshUrl(), config.trustJwksRefreshOver(), Duration.ofMinutes(1), estate.clock());
        return new SimulatedFleet(estate, config, http, keys, refresher, executor, failureRate,
                validateSnapshots ? new SnapshotSchema() : null);
    }

    public SimulatedEstate estate() {
        return estate;
    }

    /** The agent of one machine, for one cycle. */
    public Agent agent(SimulatedMachine m) {
        return Agent.builder(config)
                .machine(m.id(), m.siteCode())
                .http(http)
                .trustedKeys(keys)
                .jwksRefresher(refresher)
                .state(new SimulatedAgentState(m))
                .registry(m.registry)
                .host(estate.host(m))
                .deployments(estate.deployments(m))
                .prober(estate.prober(m))
                .logs(estate.logs(m))
                .actionHook(new SimulatedFailures(estate.seed(), m.index, failureRate))
                .executor(executor)
                .clock(estate.clock())
                .schema(schema)
                .validateSnapshots(schema != null)
                .build();
    }

    /** One cycle of every machine's agent. */
    public CompletableFuture<FleetReport> cycle(int maxInFlight) {
        return cycle(estate.machines(), maxInFlight);
    }

    /** One cycle of these machines' agents, at most {@code maxInFlight} at a time. */
    public CompletableFuture<FleetReport> cycle(List<SimulatedMachine> machines, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1");
        }
        Run run = new Run(machines);
        if (machines.isEmpty()) {
            run.done.complete(run.report());
            return run.done;
        }
        for (int i = 0; i < Math.min(maxInFlight, machines.size()); i++) {
            run.startNext();
        }
        return run.done;
    }

    private final class Run {
        final List<SimulatedMachine> machines;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final CompletableFuture<FleetReport> done = new CompletableFuture<>();
        final LongAdder failedCycles = new LongAdder();
        final LongAdder enrollments = new LongAdder();
        final LongAdder sent = new LongAdder();
        final LongAdder deferred = new LongAdder();
        final LongAdder succeeded = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder restarts = new LongAdder();
        final LongAdder retries = new LongAdder();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());

        Run(List<SimulatedMachine> machines) {
            this.machines = machines;
        }

        void startNext() {
            int i = next.getAndIncrement();
            if (i >= machines.size()) {
                return;
            }
            SimulatedMachine m = machines.get(i);
            CompletableFuture<CycleReport> cycle;
            try {
                cycle = agent(m).cycle();
            } catch (RuntimeException e) {
                cycle = CompletableFuture.failedFuture(e);
            }
            // Async: a cycle that completes at once must not start the next one deeper on this stack.
            cycle.whenCompleteAsync((r, e) -> {
                if (e != null) {
                    failedCycles.increment();
                    if (errors.size() < 10) {
                        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        errors.add(m.id() + ": " + t);
                    }
                } else {
                    record(r);
                }
                if (finished.incrementAndGet() == machines.size()) {
                    done.complete(report());
                } else {
                    startNext();
                }
            }, executor);
        }

        void record(CycleReport r) {
            enrollments.add(r.enrollments());
            sent.add(r.snapshotsSent());
            if (r.snapshotDeferred()) {
                deferred.increment();
            }
            succeeded.add(r.succeeded());
            failed.add(r.failed());
            rejected.add(r.rejected());
            restarts.add(r.restarts());
            retries.add(r.retries());
        }

        FleetReport report() {
            return new FleetReport(machines.size(), failedCycles.intValue(), enrollments.sum(), sent.sum(),
                    deferred.sum(), succeeded.sum(), failed.sum(), rejected.sum(), restarts.sum(), retries.sum(),
                    List.copyOf(errors));
        }
    }
}
