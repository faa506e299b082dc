package org.tlsrollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.tlsrollout.agent.AgentConfig;
import org.tlsrollout.agent.sim.EstateGenerator;
import org.tlsrollout.agent.sim.FleetReport;
import org.tlsrollout.agent.sim.SimulatedEstate;
import org.tlsrollout.agent.sim.SimulatedFleet;
import org.tlsrollout.agent.sim.SimulatedMachine;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;

/**
 * {@code ./tlsrollout demo}: a simulated estate of real agents (module agent) taken through the four phases by
 * the public API, as an operator would: waves per site in batches, CLIENTS, then SITE_SYSTEMS, then VERIFY,
 * then DISABLE_LEGACY once the orphan gate opens.
 */
public final class Demo {
    /**
     * @param maxIdleCycles rounds of agent cycles in a row without progress (no snapshot sent, no job handled, no
     *                      count or wave changed) after which a step gives up
     */
    public record Options(int machines, int sites, double failureRate, long seed, int maxInFlight, int maxIdleCycles,
            double maxFailureRate) {
    }

    /** The shortest round: agents that only poll take a moment, while the services' pipeline needs a few seconds. */
    private static final long MIN_ROUND_MILLIS = 1000;
    /** {@code -Dtlsrollout.demo.rounds=true}: a line per round of agent cycles (how long, what the agents did). */
    private static final boolean TRACE_ROUNDS = Boolean.getBoolean("tlsrollout.demo.rounds");
    /**
     * Rounds without progress, while a wave runs or machines are not done, after which every agent of the estate
     * cycles, not only those with work.
     */
    private static final int WIDEN_AFTER = 10;
    /** How often the bar moves during one agent cycle (the first round of a 1M estate took 23 minutes). */
    private static final long PROGRESS_MILLIS = 30_000;

    private static final List<String> NOT_DONE =
            List.of(PhaseState.NONCOMPLIANT.name(), PhaseState.UNKNOWN.name(), PhaseState.PENDING_RESTART.name());

    private final StackConfig config;
    private final Options options;
    private final PrintStream out;
    private RolloutApi api;
    private final List<String> stuck = new ArrayList<>();
    /** The estate's sites: the demo looks at and acts on these only, whatever else the stack holds. */
    private java.util.Set<String> sites = java.util.Set.of();
    /** The agentless machines the demo posted as inventory, by site, until retired. */
    private final Map<String, List<String>> decommissioned = new java.util.HashMap<>();

    public Demo(StackConfig config, Options options, PrintStream out) {
        this.config = config;
        this.options = options;
        this.out = out;
    }

    /** Told as each step (the inventory, then each phase) begins and ends: benchmark B5 reads CPU times then. */
    public interface Steps {
        default void begin(String step) {
        }

        default void end(String step) {
        }
    }

    private Steps steps = new Steps() { };

    /** Who is told of each step's beginning and end (nobody unless set). */
    public Demo steps(Steps steps) {
        this.steps = steps;
        return this;
    }

    /** Seconds each step took, in order: {@code inventory}, then each phase that ran (for benchmark B5). */
    private final Map<String, Double> timings = new LinkedHashMap<>();

    public Map<String, Double> timings() {
        return java.util.Collections.unmodifiableMap(timings);
    }

    /** The codes of this run's sites (empty before {@link #run()}): what the run looked at and acted on. */
    java.util.Set<String> sites() {
        return java.util.Collections.unmodifiableSet(sites);
    }

    public int run() {
        long started = System.nanoTime();
        new Stack(config, out).up();
        // After up: the stack's mode (plain or --tls) is settled, and with it the URLs and the CA to trust.
        api = new RolloutApi(config.remediationUrl(), config.tokens().operator(), LocalTls.sslContext(config));
        int firstSite = reserveSites(config, options.sites());
        SimulatedEstate estate = new EstateGenerator(options.seed(), options.machines(), options.sites(), firstSite)
                .generate();
        sites = estate.sites().stream().map(org.tlsrollout.agent.sim.Site::code)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        out.printf("%nSimulated estate: %d machines across %d sites (%s; seed %d), job failure rate %.0f%%%n",
                estate.size(), estate.sites().size(), String.join(", ", sites), options.seed(),
                options.failureRate() * 100);
        if (firstSite > 0) {
            out.println("(an earlier demo ran on this stack: this one has sites, and so machine ids, of its own)");
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "agents");
            t.setDaemon(true);
            return t;
        });
        try {
            AgentConfig agents = AgentConfig.builder()
                    .collectorUrl(URI.create(config.collectorUrl()))
                    .remediationUrl(URI.create(config.remediationUrl()))
                    .enrollSecret(config.tokens().enrollSecret())
                    .pinnedJwks(api.jwks())
                    .caFile(config.tls() ? LocalTls.caFile(config) : null)
                    .build();
            SimulatedFleet fleet = SimulatedFleet.create(estate, agents, threads, options.failureRate(), false);
            steps.begin("inventory");
            long step = System.nanoTime();
            postInventory(estate);
            inventory(fleet, estate.size());
            timings.put("inventory", (System.nanoTime() - step) / 1e9);
            steps.end("inventory");
            for (Phase phase : Phase.values()) {
                steps.begin(phase.name());
                step = System.nanoTime();
                boolean done = runPhase(fleet, phase);
                timings.put(phase.name(), (System.nanoTime() - step) / 1e9);
                steps.end(phase.name());
                if (!done) {
                    break;
                }
            }
        } finally {
            threads.shutdownNow();
        }
        summary();
        out.printf(Locale.ROOT, "%nDemo took %.0f s. Look at it: ui %s (operator token in %s), Grafana "
                + "http://localhost:3000 (with docker compose), API %s/q/swagger-ui%n", (System.nanoTime() - started) / 1e9,
                config.uiUrl(), config.home().resolve("tokens.env"), config.remediationUrl());
        if (!stuck.isEmpty()) {
            out.println("\nNot done:");
            stuck.forEach(s -> out.println("  - " + s));
            return 1;
        }
        out.println("\nEvery machine is done: TLS 1.2 enabled and verified, SSL 3.0, TLS 1.0 and TLS 1.1 disabled where the"
                + " catalog asks for it.");
        return 0;
    }

    /** The file that keeps the index of the next demo run's first site ({@code down --wipe} deletes it). */
    static java.nio.file.Path sitesFile(StackConfig config) {
        return config.home().resolve("demo-sites");
    }

    /**
     * The index of this run's first site, and the next run's after it: each run on a stack has site codes, and so
     * machine ids, of its own (the collector binds an id to the first agent key that enrolled it; 409 for another).
     */
    static synchronized int reserveSites(StackConfig config, int sites) {
        java.nio.file.Path file = sitesFile(config);
        try {
            int first = java.nio.file.Files.exists(file)
                    ? Integer.parseInt(java.nio.file.Files.readString(file).trim()) : 0;
            java.nio.file.Files.createDirectories(config.home());
            java.nio.file.Files.writeString(file, Integer.toString(first + sites) + "\n");
            return first;
        } catch (java.io.IOException | NumberFormatException e) {
            throw new StackException("cannot keep the demo's site numbering in " + file + ": " + e.getMessage()
                    + " (delete the file to start again at P01)", e);
        }
    }

    /**
     * Every agent enrolls and reports its snapshot (then only polls while nothing changes), until
     * remediation-service knows every machine.
     */
    private void inventory(SimulatedFleet fleet, int machines) {
        out.println("\nInventory: every agent enrolls and reports its snapshot");
        try (ProgressBar bar = bar("inventory", machines)) {
            long before = -1;
            for (int idle = 0, round = 0; idle < options.maxIdleCycles() && round < maxRounds(); round++) {
                long started = System.nanoTime();
                FleetReport report = await(fleet.cycle(options.maxInFlight()), bar, this::known);
                check(report);
                trace("inventory", round, started, report);
                long known = known();
                bar.stepTo(known);
                if (known >= machines) {
                    return;
                }
                idle = known > before || active(report) ? 0 : idle + 1;
                before = known;
                pace(started);
            }
        }
        throw new StackException("remediation-service does not know every machine after "
                + options.maxIdleCycles() + " agent cycles without progress (or " + maxRounds()
                + " in all); see the logs in " + config.logs());
    }

    /** Machines remediation-service knows from a snapshot (not from the inventory only). */
    private long known() {
        RolloutApi.Progress progress = api.progress(sites);
        return progress.machines() - progress.neverReported();
    }

    /**
     * The report of an agent cycle, once it ends; meanwhile the bar moves every {@link #PROGRESS_MILLIS} to what
     * {@code done} reads from the API.
     */
    private static FleetReport await(CompletableFuture<FleetReport> cycle, ProgressBar bar, LongSupplier done) {
        while (true) {
            try {
                return cycle.get(PROGRESS_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                bar.stepTo(done.getAsLong());
            } catch (ExecutionException e) {
                throw new CompletionException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while the agents cycled", e);
            }
        }
    }

    /**
     * One phase: a wave per site that has work, then agent cycles until the waves end and the states settle. Only
     * the agents of machines not done in the phase cycle (the others have nothing to do: no wave targets them);
     * should nothing move for a while before the phase is done, every agent of the estate cycles from then on.
     */
    private boolean runPhase(SimulatedFleet fleet, Phase phase) {
        RolloutApi.Progress progress = api.progress(sites);
        long total = progress.machines();
        List<SimulatedMachine> cycled = notDone(fleet.estate(), phase);
        out.printf("%nPhase %s: %d machines not done yet%n", phase, notDone(progress.counts(phase)));
        Map<String, String> waves = new LinkedHashMap<>();
        for (String code : progress.siteCodes()) {
            long todo = progress.count(code, phase, PhaseState.NONCOMPLIANT);
            if (todo == 0) {
                continue;
            }
            String id = launch(phase, code, todo);
            if (id != null) {
                waves.put(code, id);
            }
        }
        boolean halted = false;
        try (ProgressBar bar = bar(phase.name(), total)) {
            String seen = null;
            for (int idle = 0, round = 0; idle < options.maxIdleCycles() && round < maxRounds(); round++) {
                long started = System.nanoTime();
                FleetReport report = await(fleet.cycle(cycled, options.maxInFlight()), bar,
                        () -> total - notDone(api.progress(sites).counts(phase)));
                check(report);
                trace(phase.name(), round, started, report);
                progress = api.progress(sites);
                JsonNode counts = progress.counts(phase);
                bar.stepTo(total - notDone(counts));
                boolean running = false;
                int haltedNow = 0;
                StringBuilder now = new StringBuilder(counts.toString());
                for (String id : waves.values()) {
                    JsonNode wave = api.wave(id);
                    String state = wave.path("state").asText();
                    running |= state.equals("RUNNING") || state.equals("PLANNED");
                    haltedNow += state.equals("HALTED") ? 1 : 0;
                    now.append(state).append(wave.path("counts"));
                }
                idle = active(report) || !now.toString().equals(seen) ? 0 : idle + 1;
                seen = now.toString();
                if ((running || notDone(counts) > 0) && idle >= WIDEN_AFTER && cycled.size() < fleet.estate().size()) {
                    out.printf("  nothing moved for %d rounds of %d agents: every agent cycles from now on%n", idle,
                            cycled.size());
                    cycled = fleet.estate().machines();
                    idle = 0;
                }
                bar.setExtraMessage(String.format(Locale.ROOT, "%s%s", compact(counts),
                        haltedNow > 0 ? ", " + haltedNow + " wave(s) HALTED" : ""));
                if (haltedNow > 0 && !running) {
                    halted = true;
                    break;
                }
                if (!running && notDone(counts) == 0) {
                    break;
                }
                pace(started);
            }
        }
        for (Map.Entry<String, String> wave : waves.entrySet()) {
            JsonNode w = api.wave(wave.getValue());
            String state = w.path("state").asText();
            out.printf("  wave %-28s %-9s %s%n", w.path("name").asText(), state, compact(w.path("counts")));
            if (state.equals("HALTED")) {
                stuck.add(String.format("wave '%s' (%s) HALTED: %s; no later batch got a job. Resume it with POST "
                        + "/api/v1/waves/%s/resume once the failures are understood", w.path("name").asText(),
                        wave.getValue(), w.path("haltedReason").asText("failure rate above maxFailureRate"), wave.getValue()));
            }
        }
        long left = notDone(api.progress(sites).counts(phase));
        if (!halted && left > 0) {
            stuck.add(phase + ": " + left + " machines not done after " + options.maxIdleCycles()
                    + " agent cycles without progress (or " + maxRounds() + " in all)");
        }
        return !halted && left == 0;
    }

    /** Launches one site's wave; for DISABLE_LEGACY only once a dry run shows the orphan gate open. */
    private String launch(Phase phase, String site, long todo) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", phase.name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + site);
        request.put("phase", phase.name());
        request.put("sites", List.of(site));
        request.put("batchSize", Math.max(1, (int) Math.ceil(todo / 4.0)));
        request.put("maxFailureRate", options.maxFailureRate());
        if (phase == Phase.DISABLE_LEGACY) {
            request.put("dryRun", true);
            RolloutApi.Answer plan = api.createWave(request);
            JsonNode gate = plan.body() == null ? null : plan.body().path("gate");
            List<String> agentless = decommissioned.getOrDefault(site, List.of());
            if (plan.ok() && gate != null && !gate.path("open").asBoolean()
                    && gate.path("blocking").path("neverReported").asLong() > 0 && !agentless.isEmpty()) {
                out.printf("  the orphan gate refuses DISABLE_LEGACY at %s: %s machine(s) known from inventory never "
                        + "reported %s%n  an operator retires them (decommissioned, no agent), so that the gate no longer"
                        + " waits for them:%n", site, gate.path("blocking").path("neverReported").asText(),
                        plan.body().path("gate").path("machines"));
                for (String id : agentless) {
                    RolloutApi.Answer retired = api.send("POST", "/api/v1/machines/" + id + "/retire",
                            java.net.http.HttpRequest.BodyPublishers.noBody(), null, "application/json", Map.of());
                    out.printf("    POST /api/v1/machines/%s/retire: %d%n", id, retired.status());
                }
                decommissioned.remove(site);
                plan = api.createWave(request);
                gate = plan.body() == null ? null : plan.body().path("gate");
            }
            if (!plan.ok() || gate == null || !gate.path("open").asBoolean()) {
                stuck.add("site " + site + ": the orphan gate is closed for DISABLE_LEGACY ("
                        + (plan.ok() ? gate.path("blocking").toString() : plan.problem()) + ")");
                return null;
            }
            request.remove("dryRun");
        }
        RolloutApi.Answer created = api.createWave(request);
        if (!created.ok()) {
            stuck.add("site " + site + ": the " + phase + " wave was refused: " + created.problem());
            return null;
        }
        out.printf("  launched wave '%s': %d machines in batches of %s%n", request.get("name"),
                created.body().path("counts").path("targeted").asLong(), request.get("batchSize"));
        return created.body().path("id").asText();
    }

    private void summary() {
        RolloutApi.Progress progress = api.progress(sites);
        out.printf("%nThe estate's %d machines (sites %s), by phase and state:%n%-16s", progress.machines(),
                String.join(", ", sites), "PHASE");
        for (PhaseState s : PhaseState.values()) {
            out.printf(" %15s", s.name());
        }
        out.println();
        for (Phase phase : Phase.values()) {
            out.printf("%-16s", phase.name());
            for (PhaseState s : PhaseState.values()) {
                out.printf(" %15d", progress.counts(phase).path(s.name()).asLong());
            }
            out.println();
        }
    }

    /** The estate's machines in a state that is not done in this phase (remediation-service's list, paged). */
    private List<SimulatedMachine> notDone(SimulatedEstate estate, Phase phase) {
        java.util.BitSet found = new java.util.BitSet(estate.size());
        for (String site : sites) {
            for (String state : NOT_DONE) {
                api.machineIds(site, phase.name(), state,
                        id -> estate.machine(id).ifPresent(machine -> found.set(machine.index())));
            }
        }
        List<SimulatedMachine> machines = new ArrayList<>(found.cardinality());
        found.stream().forEach(i -> machines.add(estate.machine(i)));
        return machines;
    }

    /** Whether agents did something in this round: a snapshot sent or a job handled (failed cycles are not). */
    private static boolean active(FleetReport report) {
        return report.snapshotsSent() + report.succeeded() + report.failed() + report.rejected() > 0;
    }

    private void trace(String step, int round, long started, FleetReport r) {
        if (TRACE_ROUNDS) {
            out.printf(Locale.ROOT, "  [%s round %d: %d agents in %.1f s: %d enrolled, %d snapshots, %d jobs, "
                    + "%d failed cycles, %d retries]%n", step, round, r.agents(), (System.nanoTime() - started) / 1e9,
                    r.enrollments(), r.snapshotsSent(), r.succeeded() + r.failed() + r.rejected(), r.cyclesFailed(),
                    r.retries());
        }
    }

    /** A bound on the rounds of one step, however busy the agents keep. */
    private int maxRounds() {
        return options.maxIdleCycles() * 25;
    }

    /** Waits out the rest of the shortest round that began at {@code started} (System.nanoTime()). */
    private static void pace(long started) {
        long left = MIN_ROUND_MILLIS - (System.nanoTime() - started) / 1_000_000;
        if (left > 0) {
            sleep(left);
        }
    }

    private void check(FleetReport report) {
        if (report.cyclesFailed() > 0) {
            out.printf("  %d of %d agent cycles failed, e.g. %s%n", report.cyclesFailed(), report.agents(),
                    report.errors().isEmpty() ? "?" : report.errors().get(0));
        }
    }

    /**
     * Posts the expected estate as ConfigMgr's inventory would (api.md, "The expected estate"): every simulated
     * machine, and per site one client that has no agent (decommissioned, still in ConfigMgr), which the orphan gate
     * then counts as never reported until an operator retires it.
     */
    private void postInventory(SimulatedEstate estate) {
        StringBuilder csv = new StringBuilder("machineId,siteCode,roles,osVersion,lastSeenAt\n");
        for (SimulatedMachine m : estate.machines()) {
            String roles = m.roles().stream().filter(r -> r != org.tlsrollout.contracts.Role.CLIENT).map(Enum::name)
                    .collect(java.util.stream.Collectors.joining(";"));
            csv.append(m.id()).append(',').append(m.siteCode()).append(',').append(roles).append(",,\n");
        }
        for (String site : sites) {
            String id = site.toLowerCase(Locale.ROOT) + "-decom01.demo.example";
            decommissioned.put(site, List.of(id));
            csv.append(id).append(',').append(site).append(",,6.1,\n");
        }
        RolloutApi.Answer answer = api.send("POST", "/api/v1/inventory",
                java.net.http.HttpRequest.BodyPublishers.ofString(csv.toString()), "text/csv", "application/json", Map.of());
        if (!answer.ok()) {
            throw new StackException("POST /api/v1/inventory answered " + answer.status() + ": " + answer.problem());
        }
        out.printf("%nInventory from ConfigMgr posted: %s machines added, %d of them agentless (decommissioned, one a"
                + " site)%n", answer.body().path("added").asText(), sites.size());
    }

    private static long notDone(JsonNode counts) {
        long n = 0;
        for (String state : NOT_DONE) {
            n += counts.path(state).asLong();
        }
        return n;
    }

    private static String compact(JsonNode counts) {
        List<String> parts = new ArrayList<>();
        counts.fields().forEachRemaining(e -> {
            if (e.getValue().asLong() > 0) {
                parts.add(e.getKey() + " " + e.getValue().asLong());
            }
        });
        return String.join(", ", parts);
    }

    private ProgressBar bar(String task, long max) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(String.format("%-14s", task))
                .setInitialMax(max).setUpdateIntervalMillis(500).setStyle(ProgressBarStyle.ASCII)
                .setMaxRenderedLength(160).setUnit(" machines", 1);
        if (System.console() == null) {
            builder.setConsumer(new DelegatingProgressBarConsumer(out::println)).setUpdateIntervalMillis(10_000);
        }
        return builder.build();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }
}
