package org.tlsrollout.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.Stack;
import org.tlsrollout.cli.StackConfig;
import org.tlsrollout.cli.StackException;
import org.tlsrollout.platform.net.FreePorts;

/**
 * The stack of one chaos run: its own state folder ({@code .tlsrollout/chaos-<id>}), its own free ports, its own
 * database ({@code tlsrollout_chaos_<id>}) on the local PostgreSQL, wiped before and after. No ui.
 */
final class ChaosStack implements AutoCloseable {
    static final List<Component> SERVICES = List.of(Component.COLLECTOR, Component.RULES, Component.REMEDIATION);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final StackConfig config;
    final Stack stack;
    private final PrintStream out;
    private final Map<Component, Integer> instances = new HashMap<>();

    private ChaosStack(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.stack = new Stack(config, out);
    }

    /** A fresh stack for run {@code id}, configured by the same variables as {@code ./tlsrollout up}. */
    static ChaosStack create(StackConfig base, String id, PrintStream out) throws IOException {
        // The topic scans' consumers log through slf4j-simple: only their warnings belong in the run's output.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        String name = id.toLowerCase(Locale.ROOT);
        ChaosStack s = new ChaosStack(base.isolated("chaos-" + name, base.javaOptions()), out);
        // What an earlier, interrupted run may have left: its processes (second instances too), Kafka's data, the database.
        for (Component c : SERVICES) {
            s.stack.instances().stop(c, 2);
        }
        s.stack.down(true);
        return s;
    }

    /** Kafka, then collector, rules and remediation, each ready before the next. */
    void up() {
        for (Component c : Component.values()) {
            String missing = c.missing(config);
            if (missing != null && c != Component.UI) {
                throw new StackException(missing);
            }
        }
        new org.tlsrollout.cli.Database(config).ensureExists();
        start(Component.KAFKA, 1);
        for (Component c : SERVICES) {
            start(c, 1);
        }
    }

    /** Starts (or restarts) one instance and waits until it is ready; prints how long that took. */
    double start(Component c, int index) {
        long t0 = System.nanoTime();
        ProcessHandle p = stack.instances().startReady(c, index);
        double s = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "  %-20s #%d ready in %.1f s (pid %d, %s)%n", c.displayName(), index, s, p.pid(),
                stack.instances().address(c, index));
        return s;
    }

    /** Declares and starts instance {@code index} of a service on a free port. */
    void addInstance(Component c, int index) throws IOException {
        stack.instances().declare(c, index, FreePorts.pick());
        instances.merge(c, index, Math::max);
        start(c, index);
    }

    void kill(Component c, int index) {
        if (!stack.instances().kill(c, index)) {
            throw new StackException(c.displayName() + " #" + index + " was not running when it was to be killed");
        }
    }

    Connection db() throws SQLException {
        return DriverManager.getConnection(config.dbUrl(), config.dbUser(), config.dbPassword());
    }

    long count(String sql) throws SQLException {
        try (Connection c = db(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The sum of the samples of a Prometheus metric of one instance whose labels contain every fragment, e.g.
     * {@code metric(COLLECTOR, 1, "tlsrollout_snapshots_received_total", "outcome=\"accepted\"")}.
     */
    double metric(Component c, int index, String name, String... labelFragments) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.instances().address(c, index) + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(c.displayName() + " /q/metrics answered " + response.statusCode());
        }
        return sumSamples(response.body(), name, labelFragments);
    }

    /** The sum of the samples of metric {@code name} in a Prometheus text exposition whose labels hold every fragment. */
    static double sumSamples(String exposition, String name, String... labelFragments) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean all = true;
            for (String f : labelFragments) {
                all &= line.contains(f);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Members of a consumer group and the partitions each holds, e.g. {@code [6, 6]}. */
    List<Integer> groupMembers(String group) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                config.kafkaClient(org.tlsrollout.platform.kafka.KafkaPrincipals.ADMIN))) {
            var description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
            List<Integer> sizes = new ArrayList<>();
            description.members().forEach(m -> sizes.add(m.assignment().topicPartitions().size()));
            return sizes;
        }
    }

    @Override
    public void close() {
        for (Map.Entry<Component, Integer> e : instances.entrySet()) {
            for (int i = 2; i <= e.getValue(); i++) {
                stack.instances().stop(e.getKey(), i);
            }
        }
        stack.down(true);
    }

    static List<String> machineIds(String prefix, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(String.format(Locale.ROOT, "%s-%07d", prefix, i));
        }
        return ids;
    }
}
