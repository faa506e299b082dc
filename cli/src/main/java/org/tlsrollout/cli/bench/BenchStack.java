package org.tlsrollout.cli.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.Stack;
import org.tlsrollout.cli.StackConfig;

/**
 * A stack of a benchmark's own, beside whatever {@code ./tlsrollout up} runs: its own state folder
 * ({@code .tlsrollout/bench-<name>}), free ports chosen by the system, its own database on the PostgreSQL server of the
 * user's configuration; {@link #close()} stops it and drops its database and Kafka data.
 */
final class BenchStack implements AutoCloseable {
    private final StackConfig config;
    private final Stack stack;
    private final PrintStream out;

    private BenchStack(StackConfig config, PrintStream out) {
        this.config = config;
        this.stack = new Stack(config, out);
        this.out = out;
    }

    /** Starts {@code components} with {@code javaOptions} on each JVM; the database starts empty. */
    static BenchStack start(StackConfig user, String name, String javaOptions, List<Component> components,
            PrintStream out) throws IOException {
        Path home = user.root().resolve(".tlsrollout").resolve("bench-" + name).toAbsolutePath();
        Files.createDirectories(home);
        Map<String, String> env = new HashMap<>();
        env.put("TLSROLLOUT_HOME", home.toString());
        env.put("TLSROLLOUT_KAFKA_PORT", Integer.toString(freePort()));
        env.put("TLSROLLOUT_KAFKA_CONTROLLER_PORT", Integer.toString(freePort()));
        env.put("TLSROLLOUT_COLLECTOR_PORT", Integer.toString(freePort()));
        env.put("TLSROLLOUT_RULES_PORT", Integer.toString(freePort()));
        env.put("TLSROLLOUT_REMEDIATION_PORT", Integer.toString(freePort()));
        env.put("TLSROLLOUT_UI_PORT", Integer.toString(freePort()));
        env.put("TLSROLLOUT_DB_URL", user.dbUrl().replaceFirst("/[A-Za-z0-9_]+(\\?.*)?$", "/tlsrollout_bench_" + name + "$1"));
        env.put("TLSROLLOUT_DB_USER", user.dbUser());
        env.put("TLSROLLOUT_DB_PASSWORD", user.dbPassword());
        env.put("TLSROLLOUT_JAVA_OPTS", javaOptions);
        StackConfig config = StackConfig.fromEnvironment(user.root(), env);
        BenchStack bench = new BenchStack(config, out);
        // A run that ended without its close (killed) left its processes and data: start clean.
        bench.stack.down(true);
        out.printf("starting %s (state in %s, database %s)%n", components, home, config.dbUrl());
        try {
            bench.stack.up(components);
        } catch (RuntimeException e) {
            bench.close();
            throw e;
        }
        return bench;
    }

    StackConfig config() {
        return config;
    }

    long pid(Component c) {
        return stack.running(c).orElseThrow(() -> new IllegalStateException(c.displayName() + " is not running")).pid();
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection(config.dbUrl(), config.dbUser(), config.dbPassword());
    }

    /** Peak and current resident memory of a process, in MiB, from /proc (VmHWM, VmRSS); -1 when unknown. */
    static long[] rssMiB(long pid) {
        long hwm = -1;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = kb(line) >> 10;
                } else if (line.startsWith("VmRSS:")) {
                    rss = kb(line) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process ended
        }
        return new long[] {hwm, rss};
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    @Override
    public void close() {
        out.println("stopping the benchmark's stack and dropping its database");
        stack.down(true);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
