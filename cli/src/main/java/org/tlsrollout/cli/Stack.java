package org.tlsrollout.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The local stack: Kafka and the services as background processes, with their logs in {@code .tlsrollout/logs}
 * and their pids in {@code .tlsrollout/run}. {@link #up} is idempotent; {@link #down} stops only what it started.
 * The processes themselves, and any further instance of a service, are {@link #instances()}.
 */
public final class Stack {
    private final StackConfig config;
    private final PrintStream out;
    private final Instances instances;

    public Stack(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.instances = new Instances(config);
    }

    public record Status(Component component, long pid, boolean running, boolean ready) {
    }

    /** The components' processes by instance (1: the stack's own), for whoever starts, stops or adds some. */
    public Instances instances() {
        return instances;
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
                instances.requirePortFree(c, 1);
            }
        }
        Database db = new Database(config);
        if (db.ensureExists()) {
            out.printf("created database %s%n", db.name());
        }
        for (Component c : Component.values()) {
            Optional<ProcessHandle> running = running(c);
            if (running.isPresent()) {
                instances.awaitReady(c, 1, running.get());
                out.printf("  %-20s already running (pid %d) at %s%n", c.displayName(), running.get().pid(), c.address(config));
                continue;
            }
            long started = System.nanoTime();
            ProcessHandle process = instances.start(c, 1);
            out.printf("  %-20s starting (pid %d) ...", c.displayName(), process.pid());
            out.flush();
            instances.awaitReady(c, 1, process);
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
                instances.requirePortFree(c, 1);
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
            ProcessHandle process = running.orElseGet(() -> instances.start(c, 1));
            long started = System.nanoTime();
            instances.awaitReady(c, 1, process);
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
                Instances.deleteQuietly(c.pidFile(config));
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
            Instances.deleteQuietly(c.pidFile(config));
        }
        if (wipe) {
            deleteTree(config.kafkaData());
            new Database(config).drop();
            Instances.deleteQuietly(org.tlsrollout.cli.Demo.sitesFile(config)); // a fresh estate: the demo starts again at P01
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
        return instances.running(c, 1);
    }

    /** Kafka: it has printed its ready line and takes connections; a service: /q/health/ready answers 200. */
    public boolean isReady(Component c) {
        return instances.isReady(c, 1);
    }

    /** The end of a log, for a message or a test. */
    static String tail(Path log, int lines) {
        return Instances.tail(log, lines);
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
}

