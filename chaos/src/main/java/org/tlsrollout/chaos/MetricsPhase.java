package org.tlsrollout.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.tlsrollout.cli.Component;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;

/**
 * R8: after the last restart of a chaos run, what happens is counted twice: by the services' Prometheus counters
 * (sampled before and after: counters start at 0 on each restart, so only a phase with no restart is comparable)
 * and by the database and topics. Agents enroll and report, a wave issues their jobs, they report SUCCEEDED,
 * FAILED or REJECTED; each counter's increase must equal what the database holds of that phase.
 */
final class MetricsPhase {
    private static final String SITE = "M8A";
    private static final String[] OUTCOMES = {"issued", "succeeded", "failed", "rejected"};
    private final ChaosStack stack;
    private final AgentClient client;
    private final PrintStream out;

    MetricsPhase(ChaosStack stack, AgentClient client, PrintStream out) {
        this.stack = stack;
        this.client = client;
        this.out = out;
    }

    private Map<String, Double> sample() throws Exception {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("snapshots accepted", stack.metric(Component.COLLECTOR, 1, "tlsrollout_snapshots_received_total",
                "outcome=\"accepted\""));
        m.put("evaluations", stack.metric(Component.RULES, 1, "tlsrollout_evaluations_total"));
        for (String o : OUTCOMES) {
            m.put("jobs " + o, stack.metric(Component.REMEDIATION, 1, "tlsrollout_jobs_total", "outcome=\"" + o + "\""));
        }
        return m;
    }

    boolean run(int agents) throws Exception {
        out.printf("%nR8: %d agents report after the last restart; counters (delta over the phase) against the database%n",
                agents);
        Map<String, Double> before = sample();
        SnapshotLoad load = new SnapshotLoad(stack, client, "R8-M", SITE, agents);
        load.enroll(8, out);
        load.start(8, 1e9);
        load.await();
        load.awaitStored(out);
        String remediation = stack.config.remediationUrl();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "r8 clients " + SITE);
        request.put("phase", "CLIENTS");
        request.put("sites", List.of(SITE));
        request.put("batchSize", agents);
        request.put("maxFailureRate", 1.0);
        AgentClient.Answer created = client.operator("POST", remediation + "/api/v1/waves",
                Json.MAPPER.writeValueAsString(request));
        if (created.status() != 201) {
            out.printf("R8 FAILED: the wave was refused: %d %s%n", created.status(), created.body());
            return false;
        }
        String waveId = created.body().path("id").asText();
        long targeted = stack.count("SELECT count(*) FROM wave_target WHERE wave_id = '" + waveId + "'");
        Imports.awaitIssued(stack, List.of(waveId), targeted);
        // Every agent polls its jobs and reports: one in 10 FAILED, one in 25 REJECTED, the rest SUCCEEDED.
        List<String> machines = ChaosStack.machineIds("R8-M", agents);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            fs.add(pool.submit(() -> {
                for (int k = next.getAndIncrement(); k < agents; k = next.getAndIncrement()) {
                    String id = machines.get(k);
                    String token = load.token(k);
                    for (String job : client.jobs(remediation, id, token)) {
                        String outcome = k % 10 == 0 ? "FAILED" : k % 25 == 1 ? "REJECTED" : "SUCCEEDED";
                        client.report(remediation, id, token, job, outcome);
                        if (k % 50 == 2) {
                            client.report(remediation, id, token, job, outcome); // a repeated report counts once
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        Imports.awaitWaveState(stack, waveId, "COMPLETED", 300);
        Map<String, Double> after = sample();
        Map<String, Long> db = new LinkedHashMap<>();
        db.put("snapshots accepted", (long) load.accepted202.get());
        db.put("evaluations", TopicScan.countBy(stack.config, Topics.EVALUATIONS,
                v -> SITE.equals(v.path("siteCode").asText()) ? v.path("snapshotId").asText() : null)
                .values().stream().mapToLong(Integer::longValue).sum());
        db.put("jobs issued", stack.count("SELECT count(*) FROM job WHERE wave_id = '" + waveId + "'"));
        for (String o : new String[] {"succeeded", "failed", "rejected"}) {
            db.put("jobs " + o, stack.count("SELECT count(*) FROM job WHERE wave_id = '" + waveId + "' AND state = '"
                    + o.toUpperCase(Locale.ROOT) + "'"));
        }
        long storedRows = stack.count("SELECT count(*) FROM machine WHERE site_code = '" + SITE + "'");
        boolean ok = storedRows == load.accepted202.get();
        out.printf("  %-20s %12s %12s  %s%n", "what", "counter Δ", "database", "source of the second column");
        for (Map.Entry<String, Long> e : db.entrySet()) {
            double delta = after.get(e.getKey()) - before.get(e.getKey());
            boolean same = Math.round(delta) == e.getValue();
            ok &= same;
            out.printf(Locale.ROOT, "  %-20s %12.0f %12d  %s%s%n", e.getKey(), delta, e.getValue(), source(e.getKey()),
                    same ? "" : "   <-- MISMATCH");
        }
        out.printf("  machine rows of the phase's site: %d for %d 202s%n", storedRows, load.accepted202.get());
        out.printf("R8 %s%n", ok ? "PASSED: every counter's increase equals the database's count" : "FAILED");
        return ok;
    }

    private static String source(String what) {
        return switch (what) {
            case "snapshots accepted" -> "202 answers counted by the agents (= machine rows)";
            case "evaluations" -> "evaluation records of the site on " + Topics.EVALUATIONS;
            default -> "job rows of the wave (by state)";
        };
    }
}
