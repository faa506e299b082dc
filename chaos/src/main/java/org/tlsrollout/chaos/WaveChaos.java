package org.tlsrollout.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.contracts.Json;

/**
 * R3: remediation-service killed -9 while it creates a wave over many machines and while it issues the wave's jobs;
 * restarted each time, the wave must end with exactly one job per targeted machine. R8 runs R3, then checks the
 * Prometheus counters against the database over a phase of agents reporting, after the last restart.
 */
final class WaveChaos implements ChaosRun {
    private static final String SITE = "W3A";
    /** Jobs expire soon, so that each batch is released without agents (R3 checks issuing, not reporting). */
    private static final String TTL = "PT20S";
    private final boolean metricsPhase;

    WaveChaos(boolean metricsPhase) {
        this.metricsPhase = metricsPhase;
    }

    @Override
    public String id() {
        return metricsPhase ? "R8" : "R3";
    }

    @Override
    public String description() {
        return metricsPhase
                ? "R3 (--quick: smaller), then agents report a wave's jobs after the last restart: every service's"
                        + " Prometheus counters must equal the database's counts of what happened since"
                : "a wave over 100000 machines (--quick: 10000) in 4 batches; remediation-service killed -9 during the"
                        + " wave's creation and 3 times while it issues jobs: every machine exactly one job";
    }

    @Override
    public boolean run(StackConfig base, boolean quick, PrintStream out) throws Exception {
        int n = metricsPhase ? 5000 : quick ? 10_000 : 100_000;
        out.printf("%s%s: %s%n", id(), quick ? " (quick)" : "", description());
        try (ChaosStack stack = ChaosStack.create(base, id(), out)) {
            stack.stack.instances().withEnvironment(Component.REMEDIATION, Map.of("REMEDIATION_JOBS_TTL", TTL));
            stack.up();
            AgentClient client = new AgentClient(stack.config.tokens().enrollSecret(), stack.config.tokens().operator());
            String remediation = stack.config.remediationUrl();
            long t0 = System.nanoTime();
            long imported = Imports.importMachines(client, List.of(stack.config.collectorUrl()), "R3-", List.of(SITE), n, 2);
            Imports.awaitMachines(stack, List.of(SITE), imported);
            out.printf(Locale.ROOT, "  %d machines imported and evaluated in %.1f s%n", imported, (System.nanoTime() - t0) / 1e9);

            Map<String, Object> request = new LinkedHashMap<>();
            request.put("name", "r3 clients " + SITE);
            request.put("phase", "CLIENTS");
            request.put("sites", List.of(SITE));
            request.put("batchSize", (n + 3) / 4);
            request.put("maxFailureRate", 0.05);
            request.put("dryRun", true);
            long d0 = System.nanoTime();
            AgentClient.Answer plan = client.operator("POST", remediation + "/api/v1/waves", Json.MAPPER.writeValueAsString(request));
            long dryRunMillis = (System.nanoTime() - d0) / 1_000_000;
            request.remove("dryRun");
            String body = Json.MAPPER.writeValueAsString(request);
            out.printf("  dry run: %d, %d ms; creating the wave and killing remediation-service -9 after %d ms%n",
                    plan.status(), dryRunMillis, dryRunMillis / 2);
            CompletableFuture<AgentClient.Answer> create = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.operator("POST", remediation + "/api/v1/waves", body);
                } catch (Exception e) {
                    return new AgentClient.Answer(-1, null);
                }
            });
            Thread.sleep(Math.max(1, dryRunMillis / 2));
            stack.kill(Component.REMEDIATION, 1);
            AgentClient.Answer first = create.get();
            out.printf("  the POST was answered %s before the kill%n", first.status() == -1 ? "nothing (connection broke)"
                    : Integer.toString(first.status()));
            List<Double> restarts = new ArrayList<>();
            restarts.add(stack.start(Component.REMEDIATION, 1));
            Optional<JsonNode> existing = client.waveNamed(remediation, (String) request.get("name"));
            out.printf("  after the restart the wave %s%n", existing.isPresent() ? "exists (the creation had committed)"
                    : "does not exist (the creation rolled back): the operator creates it again");
            String waveId;
            if (existing.isPresent()) {
                waveId = existing.get().path("id").asText();
            } else {
                AgentClient.Answer again = client.operator("POST", remediation + "/api/v1/waves", body);
                if (again.status() != 201) {
                    out.printf("R3 FAILED: the wave could not be created after the restart: %d %s%n", again.status(), again.body());
                    return false;
                }
                waveId = again.body().path("id").asText();
            }
            long waves = stack.count("SELECT count(*) FROM wave WHERE name = 'r3 clients " + SITE + "'");
            // Kills while jobs are issued: in the middle of batch 1, 2 and 3 (each batch n/4 machines, chunks of 1000).
            int batch = (n + 3) / 4;
            for (int k = 0; k < 3; k++) {
                long threshold = (long) k * batch + Math.max(1, batch / 3);
                long w0 = System.nanoTime();
                while (stack.count("SELECT count(*) FROM job WHERE wave_id = '" + waveId + "'") < threshold) {
                    if (System.nanoTime() - w0 > 300e9) {
                        out.printf("R3 FAILED: the wave did not reach %d jobs in 5 minutes (stuck?)%n", threshold);
                        return false;
                    }
                    Thread.sleep(20);
                }
                // A little later, so that the kill falls inside the signing of a chunk rather than just after one.
                Thread.sleep(150L * (k + 1));
                long jobs = stack.count("SELECT count(*) FROM job WHERE wave_id = '" + waveId + "'");
                stack.kill(Component.REMEDIATION, 1);
                out.printf("  kill -9 while issuing: %d jobs of batch %d committed (chunks of 1000)%n",
                        jobs - (long) k * batch, k + 1);
                restarts.add(stack.start(Component.REMEDIATION, 1));
            }
            Imports.awaitWaveState(stack, waveId, "COMPLETED", 600);
            Imports.awaitOutboxEmpty(stack);
            WaveCheck check = WaveCheck.of(stack, List.of(waveId));
            out.printf(Locale.ROOT, "%nR3 figures: %d kills of remediation-service (restart to ready: mean %.1f s), waves"
                    + " named alike: %d; the wave COMPLETED after %.1f s in all%n", restarts.size(),
                    restarts.stream().mapToDouble(Double::doubleValue).average().orElse(0), waves, (System.nanoTime() - t0) / 1e9);
            check.print(out);
            boolean ok = check.ok() && waves == 1 && check.targeted() == imported;
            out.printf("R3 %s: %d lost, %d machines with two jobs, %d waves%n", ok ? "PASSED" : "FAILED",
                    check.machinesWithoutJob(), check.machinesWithSeveralJobs(), waves);
            if (metricsPhase) {
                ok &= new MetricsPhase(stack, client, out).run(quick ? 500 : 2000);
            }
            return ok;
        }
    }
}
