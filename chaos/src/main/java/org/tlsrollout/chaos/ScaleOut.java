package org.tlsrollout.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.contracts.Json;

/**
 * R9: the same work twice in one run, first with one instance of collector, rules and remediation, then with two of
 * each (same consumer groups, one broker, one database, other ports): an estate imported and evaluated, then a wave
 * per site issuing a job per machine. Both times: 0 jobs lost, 0 issued twice; and the throughput of each.
 */
final class ScaleOut implements ChaosRun {
    private static final int SITES = 4;

    @Override
    public String id() {
        return "R9";
    }

    @Override
    public String description() {
        return "scale-out: 100000 machines (--quick: 10000) imported and a wave per site over them, with one instance of"
                + " each service, then again with two: 0 jobs lost or issued twice, throughput of both";
    }

    private record Figures(int instances, long machines, double ingestSeconds, double issueSeconds, WaveCheck check) {
        double ingestRate() {
            return machines / ingestSeconds;
        }

        double issueRate() {
            return check.jobs() / issueSeconds;
        }
    }

    @Override
    public boolean run(StackConfig base, boolean quick, PrintStream out) throws Exception {
        int n = quick ? 10_000 : 100_000;
        out.printf("R9%s: %s%n", quick ? " (quick)" : "", description());
        try (ChaosStack stack = ChaosStack.create(base, "R9", out)) {
            stack.up();
            AgentClient client = new AgentClient(stack.config.tokens().enrollSecret(), stack.config.tokens().operator());
            Figures one = phase(stack, client, out, "A", 1, n);
            out.println("  starting a second instance of each service");
            for (Component c : ChaosStack.SERVICES) {
                stack.addInstance(c, 2);
            }
            // Let the consumer groups settle on their new members before the clock starts.
            Thread.sleep(10_000);
            Figures two = phase(stack, client, out, "B", 2, n);
            out.printf(Locale.ROOT, "%nR9 figures (%d machines in %d sites each time; ingest = import to every evaluation"
                    + " stored, issue = waves created to every target's job committed):%n", n, SITES);
            out.printf("  %-9s %14s %14s %10s %8s %8s%n", "instances", "ingest /s", "jobs issued /s", "jobs", "lost", "twice");
            for (Figures f : List.of(one, two)) {
                out.printf(Locale.ROOT, "  %-9d %14.0f %14.0f %10d %8d %8d%n", f.instances(), f.ingestRate(), f.issueRate(),
                        f.check().jobs(), f.check().machinesWithoutJob(), f.check().machinesWithSeveralJobs());
            }
            out.printf(Locale.ROOT, "  two instances / one: ingest x%.2f, issuing x%.2f%n", two.ingestRate() / one.ingestRate(),
                    two.issueRate() / one.issueRate());
            for (Figures f : List.of(one, two)) {
                out.printf("  %d instance(s):%n", f.instances());
                f.check().print(out);
            }
            out.printf("  throughput higher with two instances: ingest %s, issuing %s (2 cores shared by every process:"
                    + " see docs/benchmarks.md)%n", two.ingestRate() > one.ingestRate() ? "yes" : "NO",
                    two.issueRate() > one.issueRate() ? "yes" : "NO");
            // The exit code says whether anything was lost or issued twice; the throughput is a figure, not a verdict.
            boolean ok = one.check().ok() && two.check().ok() && one.check().targeted() == one.machines()
                    && two.check().targeted() == two.machines();
            out.printf("R9 %s%n", ok ? "PASSED: 0 jobs lost, 0 issued twice, with one and with two instances"
                    : "FAILED");
            return ok;
        }
    }

    private Figures phase(ChaosStack stack, AgentClient client, PrintStream out, String tag, int instances, int n)
            throws Exception {
        List<String> sites = new ArrayList<>();
        for (int s = 1; s <= SITES; s++) {
            sites.add(tag + "0" + s);
        }
        long t0 = System.nanoTime();
        Work work = importAndIssue(stack, client, out, "R9-", sites, instances, n, () -> { });
        double ingest = (work.evaluated() - t0) / 1e9;
        double issue = (work.issued() - work.evaluated()) / 1e9;
        List<String> waves = work.waves();
        // Did each instance take its share? Its own counters (since its start) and the consumer groups' members.
        for (int i = 1; i <= instances; i++) {
            out.printf(Locale.ROOT, "    instance #%d counters since its start: snapshots accepted %.0f, evaluations %.0f,"
                    + " jobs issued %.0f%n", i,
                    stack.metric(Component.COLLECTOR, i, "tlsrollout_snapshots_received_total", "outcome=\"accepted\""),
                    stack.metric(Component.RULES, i, "tlsrollout_evaluations_total"),
                    stack.metric(Component.REMEDIATION, i, "tlsrollout_jobs_total", "outcome=\"issued\""));
        }
        out.printf("    partitions per member: rules-service %s, remediation-service %s%n",
                stack.groupMembers("rules-service"), stack.groupMembers("remediation-service"));
        return new Figures(instances, work.imported(), ingest, issue, WaveCheck.of(stack, waves));
    }

    /** What {@link #importAndIssue} did, and when (System.nanoTime()) the estate was evaluated and the jobs issued. */
    record Work(long imported, List<String> waves, long evaluated, long issued) {
    }

    /** What a run does between the estate evaluated and the waves created (R10 waits for its counters there). */
    interface BeforeWaves {
        void await() throws Exception;
    }

    /**
     * The work of R9 and R10: {@code n} machines imported over the collectors and evaluated, {@code beforeWaves}, then
     * a CLIENTS wave per site over all of them, spread over the remediation instances; returns when every target's job
     * is issued and the outbox relayed.
     */
    static Work importAndIssue(ChaosStack stack, AgentClient client, PrintStream out, String prefix, List<String> sites,
            int instances, int n, BeforeWaves beforeWaves) throws Exception {
        List<String> collectors = new ArrayList<>();
        for (int i = 1; i <= instances; i++) {
            collectors.add(stack.stack.instances().address(Component.COLLECTOR, i));
        }
        long t0 = System.nanoTime();
        long imported = Imports.importMachines(client, collectors, prefix, sites, n / sites.size(), 4);
        Imports.awaitMachines(stack, sites, imported);
        long evaluated = System.nanoTime();
        out.printf(Locale.ROOT, "  %d instance(s): %d machines imported and evaluated in %.1f s%n", instances, imported,
                (evaluated - t0) / 1e9);
        beforeWaves.await();
        List<String> waves = new ArrayList<>();
        for (int s = 0; s < sites.size(); s++) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("name", prefix.toLowerCase(Locale.ROOT) + sites.get(s));
            request.put("phase", "CLIENTS");
            request.put("sites", List.of(sites.get(s)));
            request.put("batchSize", n / sites.size());
            request.put("maxFailureRate", 0.05);
            // Waves are spread over the instances as an operator behind a load balancer would send them.
            String url = stack.stack.instances().address(Component.REMEDIATION, 1 + s % instances);
            AgentClient.Answer a = client.operator("POST", url + "/api/v1/waves", Json.MAPPER.writeValueAsString(request));
            if (a.status() != 201) {
                throw new IllegalStateException("wave refused: " + a.status() + " " + a.body());
            }
            waves.add(a.body().path("id").asText());
        }
        long targeted = 0;
        for (String w : waves) {
            targeted += stack.count("SELECT count(*) FROM wave_target WHERE wave_id = '" + w + "'");
        }
        Imports.awaitIssued(stack, waves, targeted);
        long issued = System.nanoTime();
        out.printf(Locale.ROOT, "  %d instance(s): %d jobs issued in %.1f s%n", instances, targeted, (issued - evaluated) / 1e9);
        Imports.awaitOutboxEmpty(stack);
        return new Work(imported, waves, evaluated, issued);
    }
}
