package org.tlsrollout.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.tlsrollout.platform.kafka.LocalKafkaBroker;

/**
 * The local stack: Kafka and the services as background processes, with their logs in {@code .tlsrollout/logs}
 * and their pids in {@code .tlsrollout/run}. {@link #up} is idempotent; {@link #down} stops only what it started.
 */
public final class Stack {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final StackConfig config;
    private final PrintStream out;
    /** Where each log stood when this stack started its process, so that an older run's lines do not count. */
    private final java.util.Map<Component, Long> logStart = new java.util.EnumMap<>(Component.class);
    /** The client of the readiness checks, for the mode (plain or {@code --tls}) it was made for. */
    private HttpClient http;
    private boolean httpTls;

    /** Extra environment of a component's processes, over {@link Component#environment} (the chaos runs). */
    private final Map<Component, Map<String, String>> extraEnvironment = new java.util.EnumMap<>(Component.class);
    /** The ports of the further instances of a service (index 2 and up); instance 1 is on the config's port. */
    private final Map<String, Integer> instancePorts = new java.util.HashMap<>();

    public Stack(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public record Status(Component component, long pid, boolean running, boolean ready) {
    }

    /** Starts whatever is not running, waits until everything is ready. */
    public void up() {
        for (Component c : Component.values()) {
            String missing = c.missing(config);
            if (missing != null) {
                throw new StackException(missing);
            }
        }
        for (Component c : Component.values()) {
            if (running(c).isEmpty()) {
                requirePortFree(c);
            }
        }
        Database db = new Database(config);
        if (db.ensureExists()) {
            out.printf("created database %s%n", db.name());
        }
        for (Component c : Component.values()) {
            Optional<ProcessHandle> running = running(c);
            if (running.isPresent()) {
                waitReady(c, running.get());
                out.printf("  %-20s already running (pid %d) at %s%n", c.displayName(), running.get().pid(), c.address(config));
                continue;
            }
            long started = System.nanoTime();
            ProcessHandle process = start(c);
            out.printf("  %-20s starting (pid %d) ...", c.displayName(), process.pid());
            out.flush();
            waitReady(c, process);
            out.printf(" ready in %.1f s at %s%n", (System.nanoTime() - started) / 1e9, c.address(config));
        }
    }

    /**
     * Starts only {@code only} (those not running yet, in start order) and waits until they are ready: for a
     * benchmark that needs part of the stack. Whoever needs Kafka or PostgreSQL must include or provide them.
     */
    public void up(java.util.Collection<Component> only) {
        for (Component c : only) {
            String missing = c.missing(config);
            if (missing != null) {
                throw new StackException(missing);
            }
            if (running(c).isEmpty()) {
                requirePortFree(c);
            }
        }
        if (only.stream().anyMatch(Component::usesDatabase) && new Database(config).ensureExists()) {
            out.printf("created database %s%n", new Database(config).name());
        }
        for (Component c : Component.values()) {
            if (!only.contains(c)) {
                continue;
            }
            Optional<ProcessHandle> running = running(c);
            ProcessHandle process = running.orElseGet(() -> start(c));
            long started = System.nanoTime();
            waitReady(c, process);
            out.printf("  %-20s ready in %.1f s at %s (pid %d)%n", c.displayName(), (System.nanoTime() - started) / 1e9,
                    c.address(config), process.pid());
        }
    }

    /** Stops every component this stack started, last first; {@code wipe} also deletes Kafka's data and the database. */
    public void down(boolean wipe) {
        List<Component> order = new ArrayList<>(List.of(Component.values()));
        java.util.Collections.reverse(order);
        for (Component c : order) {
            Optional<ProcessHandle> running = running(c);
            if (running.isEmpty()) {
                deleteQuietly(c.pidFile(config));
                continue;
            }
            ProcessHandle p = running.get();
            out.printf("  %-20s stopping (pid %d)%n", c.displayName(), p.pid());
            p.destroy();
            try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                out.printf("  %-20s did not stop in 30 s: killed%n", c.displayName());
                p.destroyForcibly();
            }
            deleteQuietly(c.pidFile(config));
        }
        if (wipe) {
            deleteTree(config.kafkaData());
            new Database(config).drop();
            deleteQuietly(org.tlsrollout.cli.Demo.sitesFile(config)); // a fresh estate: the demo starts again at P01
            out.printf("wiped Kafka's data (%s) and the database %s%n", config.kafkaData(), new Database(config).name());
        }
    }

    public List<Status> status() {
        List<Status> all = new ArrayList<>();
        for (Component c : Component.values()) {
            Optional<ProcessHandle> running = running(c);
            all.add(new Status(c, running.map(ProcessHandle::pid).orElse(-1L), running.isPresent(),
                    running.isPresent() && isReady(c)));
        }
        return all;
    }

    /** The process recorded for this component, if it still runs and is really ours. */
    public Optional<ProcessHandle> running(Component c) {
        Path pidFile = c.pidFile(config);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(c.marker())).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private ProcessHandle start(Component c) {
        return start(c, 1);
    }

    private ProcessHandle start(Component c, int index) {
        try {
            Files.createDirectories(config.logs());
            Files.createDirectories(config.run());
            Path log = log(c, index);
            if (index == 1) {
                logStart.put(c, Files.exists(log) ? Files.size(log) : 0L);
            }
            List<String> command = new ArrayList<>();
            // A session of its own, so that Ctrl-C in the terminal that ran `up` does not stop the stack.
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.addAll(c.command(config));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(config.root().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(c.environment(config));
            builder.environment().putAll(extraEnvironment.getOrDefault(c, Map.of()));
            if (index > 1) {
                builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port(c, index)));
            }
            Process process = builder.start();
            Files.writeString(pidFile(c, index), Long.toString(process.pid()));
            return process.toHandle();
        } catch (IOException e) {
            throw new StackException("cannot start " + c.displayName() + ": " + e.getMessage(), e);
        }
    }

    private void waitReady(Component c, ProcessHandle process) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException(c.displayName() + " stopped while starting; the end of its log ("
                        + c.log(config) + "):\n" + tail(c.log(config), 25));
            }
            if (isReady(c)) {
                return;
            }
            sleep(250);
        }
        throw new StackException(c.displayName() + " was not ready after " + READY_TIMEOUT.toSeconds()
                + " s; see " + c.log(config) + ":\n" + tail(c.log(config), 25));
    }

    /** Kafka: it has printed its ready line and takes connections; a service: /q/health/ready answers 200. */
    public boolean isReady(Component c) {
        if (c == Component.KAFKA) {
            return accepts(c.port(config)) && logSince(c.log(config), logStart.getOrDefault(c, 0L))
                    .contains(LocalKafkaBroker.READY_PREFIX);
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(c.address(config) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return http().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Plain, or trusting only the stack's CA when it runs HTTPS-only ({@link LocalTls}). */
    private synchronized HttpClient http() {
        boolean tls = config.tls();
        if (http == null || httpTls != tls) {
            http = LocalTls.client(config).connectTimeout(Duration.ofSeconds(2)).build();
            httpTls = tls;
        }
        return http;
    }

    private void requirePortFree(Component c) {
        if (accepts(c.port(config))) {
            throw new StackException("port " + c.port(config) + " is taken by another program, so " + c.displayName()
                    + " cannot start; stop that program (see `ss -ltnp`) or choose another port with "
                    + "TLSROLLOUT_" + c.name() + "_PORT");
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String logSince(Path log, long offset) {
        try (var channel = java.nio.channels.FileChannel.open(log)) {
            long size = channel.size();
            if (size <= offset) {
                return "";
            }
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(size - offset, 4 << 20));
            channel.read(buffer, offset);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(Path log, int lines) {
        if (!Files.exists(log)) {
            return "";
        }
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale pid file does no harm: running() checks the process
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new StackException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    // ---- Process control of single components and further instances (./tlsrollout chaos) ----

    /** Adds environment variables to every process of {@code c} this stack starts from now on. */
    public Stack withEnvironment(Component c, Map<String, String> env) {
        extraEnvironment.computeIfAbsent(c, k -> new java.util.HashMap<>()).putAll(env);
        return this;
    }

    /**
     * Declares instance {@code index} (2 and up) of a service on {@code port}: same consumer groups, broker and
     * database, its own port, log ({@code <name>-<index>.log}) and pid file. Kafka has one instance only.
     */
    public Stack withInstance(Component c, int index, int port) {
        if (c == Component.KAFKA || index < 2) {
            throw new IllegalArgumentException("only services have further instances, from index 2");
        }
        instancePorts.put(c.name() + "-" + index, port);
        return this;
    }

    public int port(Component c, int index) {
        if (index == 1) {
            return c.port(config);
        }
        Integer port = instancePorts.get(c.name() + "-" + index);
        if (port == null) {
            throw new IllegalArgumentException("instance " + index + " of " + c.displayName() + " was not declared");
        }
        return port;
    }

    public String address(Component c, int index) {
        return c == Component.KAFKA ? c.address(config) : config.scheme() + "://127.0.0.1:" + port(c, index);
    }

    public Path log(Component c, int index) {
        return index == 1 ? c.log(config) : config.logs().resolve(c.displayName() + "-" + index + ".log");
    }

    private Path pidFile(Component c, int index) {
        return index == 1 ? c.pidFile(config) : config.run().resolve(c.displayName() + "-" + index + ".pid");
    }

    /** The process of one instance, if it still runs and is really ours. */
    public Optional<ProcessHandle> running(Component c, int index) {
        if (index == 1) {
            return running(c);
        }
        Path pidFile = pidFile(c, index);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(c.marker())).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts one instance (its port must be free) and waits until it is ready; returns its process. */
    public ProcessHandle startInstance(Component c, int index) {
        if (running(c, index).isPresent()) {
            throw new StackException(c.displayName() + " #" + index + " already runs");
        }
        if (accepts(port(c, index))) {
            throw new StackException("port " + port(c, index) + " is taken, so " + c.displayName() + " #" + index
                    + " cannot start");
        }
        ProcessHandle process = start(c, index);
        awaitReady(c, index, process);
        return process;
    }

    /** Waits until the instance answers ready (Kafka: its ready line since it was started, and its port). */
    public void awaitReady(Component c, int index, ProcessHandle process) {
        if (index == 1) {
            waitReady(c, process);
            return;
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException(c.displayName() + " #" + index + " stopped while starting; the end of its log ("
                        + log(c, index) + "):\n" + tail(log(c, index), 25));
            }
            if (isReady(c, index)) {
                return;
            }
            sleep(250);
        }
        throw new StackException(c.displayName() + " #" + index + " was not ready after " + READY_TIMEOUT.toSeconds()
                + " s; see " + log(c, index));
    }

    public boolean isReady(Component c, int index) {
        if (index == 1) {
            return isReady(c);
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(address(c, index) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).GET().build();
            return http().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** kill -9 of one instance: no shutdown hook runs; waits until the process is gone. Returns false if none ran. */
    public boolean kill(Component c, int index) {
        Optional<ProcessHandle> p = running(c, index);
        if (p.isEmpty()) {
            return false;
        }
        p.get().destroyForcibly();
        awaitExit(p.get(), c, index);
        deleteQuietly(pidFile(c, index));
        return true;
    }

    /** A clean stop (SIGTERM) of one instance, killed after 30 s. Returns false if none ran. */
    public boolean stop(Component c, int index) {
        Optional<ProcessHandle> p = running(c, index);
        if (p.isEmpty()) {
            return false;
        }
        p.get().destroy();
        try {
            p.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            p.get().destroyForcibly();
            awaitExit(p.get(), c, index);
        }
        deleteQuietly(pidFile(c, index));
        return true;
    }

    private static void awaitExit(ProcessHandle p, Component c, int index) {
        try {
            p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException(c.displayName() + " #" + index + " (pid " + p.pid() + ") did not end");
        }
    }
}
