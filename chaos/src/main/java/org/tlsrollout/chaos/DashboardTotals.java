package org.tlsrollout.chaos;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.DashboardQueries;
import org.tlsrollout.cli.LocalTls;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.cli.StackException;

/**
 * R10 (issue 18, "Done means"): the same work on a fresh stack with one instance of each service, then on another with
 * two, each scraped by a real Prometheus; the Grafana dashboard's own queries, evaluated through Prometheus' HTTP API,
 * must give the same totals both times: the estate gauges, the waves, the jobs issued.
 */
final class DashboardTotals implements ChaosRun {
    private static final List<String> SITES = List.of("S01", "S02", "S03", "S04");
    private static final Duration SCRAPE = Duration.ofSeconds(1);
    /** The metrics whose panels are totals to compare; rates and the other services' counters are only printed. */
    private static final List<String> TOTALS = List.of("tlsrollout_machines", "tlsrollout_waves", "tlsrollout_jobs_total");
    /** The estate's gauge series and the waves' (every one published, 0 included), as the dashboard reads them. */
    private static final String GAUGE_SERIES = "count(max by (site, phase, state) (tlsrollout_machines))"
            + " + count(max by (state) (tlsrollout_waves))";

    @Override
    public String id() {
        return "R10";
    }

    @Override
    public String description() {
        return "two instances, one set of totals: 20000 machines (--quick: 4000) and a wave per site with one instance of"
                + " each service, then with two, scraped by a real Prometheus: the dashboard's totals are the same";
    }

    /** One run's answers: for each compared query, its series and values; and what the database holds. */
    private record Totals(Map<String, Map<String, Double>> panels, long jobs, long machines, long rangeSeconds,
            int incompleteScrapes) {
    }

    /**
     * How far apart two runs' increase() may be: Prometheus extrapolates a range's samples by up to 1.1 scrape
     * intervals at either end (never below 0 for a counter that starts at 0), so each run's figure lies between the
     * true count and that count times 1 + 2.2 intervals / range.
     */
    static double increaseTolerance(Duration scrape, long rangeSeconds) {
        return 2.2 * scrape.toMillis() / 1000.0 / rangeSeconds;
    }

    @Override
    public boolean run(StackConfig base, boolean quick, PrintStream out) throws Exception {
        int n = quick ? 4_000 : 20_000;
        out.printf("R10%s: %s%n", quick ? " (quick)" : "", description());
        List<DashboardQueries.Query> queries = DashboardQueries.queries(base.root());
        Totals one = once(base, 1, n, queries, out);
        Totals two = once(base, 2, n, queries, out);
        out.printf("%nR10 the dashboard's totals, one instance against two (%d machines in %d sites, a wave per site):%n",
                n, SITES.size());
        double tolerance = increaseTolerance(SCRAPE, Math.min(one.rangeSeconds(), two.rangeSeconds()));
        boolean ok = true;
        for (Map.Entry<String, Map<String, Double>> panel : one.panels().entrySet()) {
            Map<String, Double> a = panel.getValue();
            Map<String, Double> b = two.panels().getOrDefault(panel.getKey(), Map.of());
            boolean counter = panel.getKey().contains("increase(");
            out.printf("  %s%n", panel.getKey());
            TreeSet<String> series = new TreeSet<>(a.keySet());
            series.addAll(b.keySet());
            for (String s : series) {
                Double x = a.get(s);
                Double y = b.get(s);
                boolean same = x != null && y != null && agree(x, y, counter ? tolerance : 0);
                ok &= same;
                out.printf(Locale.ROOT, "    %-44s %12s %12s%s%n", s, format(x), format(y), same ? ""
                        : "   <-- " + (counter ? String.format(Locale.ROOT, "MORE THAN %.1f%% APART", tolerance * 100)
                                : "DIFFERENT"));
            }
        }
        for (Totals t : List.of(one, two)) {
            ok &= t.jobs() == (long) n && t.machines() == (long) n;
            // The jobs panel must also count the jobs the database holds, not only agree between the runs.
            Double issued = t.panels().entrySet().stream()
                    .filter(p -> p.getKey().contains("increase(tlsrollout_jobs_total"))
                    .map(p -> p.getValue().get("{outcome=issued, phase=CLIENTS}"))
                    .filter(v -> v != null).findFirst().orElse(null);
            boolean counted = issued != null && agree(issued, t.jobs(), tolerance);
            ok &= counted;
            out.printf(Locale.ROOT, "  jobs issued by the dashboard against the database: %s against %d%s%n",
                    format(issued), t.jobs(), counted ? "" : "   <-- MORE THAN THE TOLERANCE APART");
        }
        out.printf("  database: %d and %d jobs issued, %d and %d machines (one instance, two instances)%n", one.jobs(),
                two.jobs(), one.machines(), two.machines());
        out.printf(Locale.ROOT, "  increase() over %d s and %d s: runs may differ by %.1f%% (Prometheus' extrapolation)%n",
                one.rangeSeconds(), two.rangeSeconds(), tolerance * 100);
        out.printf("  scrapes that lacked some gauge series while the instant was chosen: %d and %d (a series missing"
                + " from a scrape is stale at once: the panel loses it until the next)%n", one.incompleteScrapes(),
                two.incompleteScrapes());
        out.printf("R10 %s%n", ok ? "PASSED: the dashboard's totals are the same with two instances as with one"
                : "FAILED: see the lines marked above");
        return ok;
    }

    /** Equal, or for a counter's increase() within {@code tolerance} of the larger (0: exactly equal). */
    static boolean agree(double a, double b, double tolerance) {
        return a == b || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
    }

    private static String format(Double v) {
        return v == null ? "(none)" : v == Math.rint(v) ? Long.toString(v.longValue()) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The work with {@code instances} of each service, a Prometheus scraping them all, the dashboard's answers. */
    private Totals once(StackConfig base, int instances, int n, List<DashboardQueries.Query> queries, PrintStream out)
            throws Exception {
        out.printf("%n  -- %d instance(s) of each service --%n", instances);
        try (ChaosStack stack = ChaosStack.create(base, "R10", out)) {
            // The estate gauges are read from the database every refresh: every second here, not every 15.
            stack.stack.instances().withEnvironment(Component.REMEDIATION, Map.of("REMEDIATION_METRICS_REFRESH", "1s"));
            stack.up();
            for (int i = 2; i <= instances; i++) {
                for (Component c : ChaosStack.SERVICES) {
                    stack.addInstance(c, i);
                }
            }
            List<PrometheusServer.Target> targets = new ArrayList<>();
            for (Component c : ChaosStack.SERVICES) {
                for (int i = 1; i <= instances; i++) {
                    int port = stack.stack.instances().port(c, i);
                    targets.add(new PrometheusServer.Target(c.displayName(), "127.0.0.1:" + port));
                }
            }
            Path caFile = stack.config.tls() ? LocalTls.caFile(stack.config) : null;
            String config = PrometheusServer.config(targets, SCRAPE, stack.config.scheme(), caFile);
            try (PrometheusServer prometheus = PrometheusServer.start(config, stack.config.logs().resolve("prometheus.log"))) {
                Instant started = Instant.now();
                awaitUntil("every target up in Prometheus", () -> prometheus.targetsUp() == targets.size());
                out.printf("  prometheus %s scrapes %d targets every %d s%n", prometheus.url(), targets.size(),
                        SCRAPE.toSeconds());
                AgentClient client = new AgentClient(stack.config.tokens().enrollSecret(), stack.config.tokens().operator());
                // As an operator's first wave would, the first job of a site comes after a scrape saw its counters at 0:
                // a counter first scraped at its total would count nothing in increase().
                List<String> waves = ScaleOut.importAndIssue(stack, client, out, "R10-", SITES, instances, n,
                        () -> awaitUntil("every instance's job counters of every site in Prometheus", () -> value(
                                prometheus, "count(tlsrollout_jobs_total{phase=\"CLIENTS\", outcome=\"issued\"})")
                                == SITES.size() * instances)).waves();
                // Settled: the gauges show the whole estate and every wave, the counters every job; then a few scrapes more.
                awaitUntil("the estate, the waves and the jobs in Prometheus", () ->
                        value(prometheus, "sum(max by (site, phase, state) (tlsrollout_machines{phase=\"CLIENTS\"}))") == n
                                && value(prometheus, "sum(max by (state) (tlsrollout_waves))") == waves.size()
                                && value(prometheus, "sum(tlsrollout_jobs_total{outcome=\"issued\"})") == n);
                Thread.sleep(SCRAPE.toMillis() * 3);
                // The instant: one at which the last scrape held every gauge series that the last 10 s did.
                int incomplete = 0;
                Instant at = Instant.now();
                while (value(prometheus, GAUGE_SERIES, at) < value(prometheus, GAUGE_SERIES.replace("(tlsrollout_machines)",
                        "(last_over_time(tlsrollout_machines[10s]))").replace("(tlsrollout_waves)",
                        "(last_over_time(tlsrollout_waves[10s]))"), at)) {
                    if (++incomplete > 60) {
                        throw new StackException("R10: no scrape in 60 held every gauge series");
                    }
                    Thread.sleep(SCRAPE.toMillis() / 2);
                    at = Instant.now();
                }
                long range = Duration.between(started, at).toSeconds() + 1;
                Map<String, Map<String, Double>> panels = new LinkedHashMap<>();
                for (DashboardQueries.Query q : queries) {
                    String expr = substitute(q.expr(), range);
                    Map<String, Double> answer = prometheus.query(expr, at);
                    boolean compared = TOTALS.stream().anyMatch(q.expr()::contains) && !q.expr().contains("$__rate_interval");
                    if (compared) {
                        panels.put(q.panel() + ": " + q.expr(), answer);
                    } else {
                        out.printf("    not compared (a rate, or another service's counter): %s: %s%n", q.panel(), answer);
                    }
                }
                long jobs = stack.count("SELECT count(*) FROM job");
                long machines = stack.count("SELECT count(*) FROM machine");
                return new Totals(panels, jobs, machines, range, incomplete);
            }
        }
    }

    /** The dashboard's variables as Grafana sets them for "All" and a range covering the whole run. */
    static String substitute(String expr, long rangeSeconds) {
        return expr.replace("$site", ".*").replace("$phase", ".*")
                .replace("$__rate_interval", SCRAPE.multipliedBy(4).toSeconds() + "s")
                .replace("$__range", rangeSeconds + "s");
    }

    private static double value(PrometheusServer prometheus, String expr) throws Exception {
        return value(prometheus, expr, Instant.now());
    }

    private static double value(PrometheusServer prometheus, String expr, Instant at) throws Exception {
        return prometheus.query(expr, at).values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls every 500 ms; throws after 3 minutes. */
    private static void awaitUntil(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new StackException("R10: not there after 3 minutes: " + what);
            }
            Thread.sleep(500);
        }
    }
}
