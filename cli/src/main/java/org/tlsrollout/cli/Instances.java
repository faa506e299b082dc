package org.tlsrollout.cli;

import java.io.IOException;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.tlsrollout.platform.kafka.LocalKafkaBroker;

/**
 * The processes of the components, by instance: instance 1 of each is the one of {@link Stack} (the config's port,
 * log and pid file); a service may have further ones (index 2 and up, the chaos runs) on ports of their own, with
 * the same consumer groups, broker and database. Starting, the one wait until ready, stopping and killing.
 */
public final class Instances {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final StackConfig config;
    /** Where each log stood when its instance 1 was started here, so that an older run's lines do not count. */
    private final Map<Component, Long> logStart = new EnumMap<>(Component.class);
    /** Extra environment of a component's processes, over {@link Component#environment}. */
    private final Map<Component, Map<String, String>> extraEnvironment = new EnumMap<>(Component.class);
    /** The ports of the further instances of a service (index 2 and up). */
    private final Map<String, Integer> ports = new HashMap<>();
    /** The client of the readiness checks, for the mode (plain or {@code --tls}) it was made for. */
    private HttpClient http;
    private boolean httpTls;

    Instances(StackConfig config) {
        this.config = config;
    }

    /** Adds environment variables to every process of {@code c} started from now on. */
    public Instances withEnvironment(Component c, Map<String, String> env) {
        extraEnvironment.computeIfAbsent(c, k -> new HashMap<>()).putAll(env);
        return this;
    }

    /**
     * Declares instance {@code index} (2 and up) of a service on {@code port}: its own port, log
     * ({@code <name>-<index>.log}) and pid file. Kafka has one instance only.
     */
    public Instances declare(Component c, int index, int port) {
        if (c == Component.KAFKA || index < 2) {
            throw new IllegalArgumentException("only services have further instances, from index 2");
        }
        ports.put(c.name() + "-" + index, port);
        return this;
    }

    public int port(Component c, int index) {
        if (index == 1) {
            return c.port(config);
        }
        Integer port = ports.get(c.name() + "-" + index);
        if (port == null) {
            throw new IllegalArgumentException("instance " + index + " of " + c.displayName() + " was not declared");
        }
        return port;
    }

    public String address(Component c, int index) {
        return c == Component.KAFKA || index == 1 ? c.address(config) : config.scheme() + "://127.0.0.1:" + port(c, index);
    }

    public Path log(Component c, int index) {
        return index == 1 ? c.log(config) : config.logs().resolve(c.displayName() + "-" + index + ".log");
    }

    Path pidFile(Component c, int index) {
        return index == 1 ? c.pidFile(config) : config.run().resolve(c.displayName() + "-" + index + ".pid");
    }

    private String name(Component c, int index) {
        return index == 1 ? c.displayName() : c.displayName() + " #" + index;
    }

    /** The process of one instance, if it still runs and is really ours. */
    public Optional<ProcessHandle> running(Component c, int index) {
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
    public ProcessHandle startReady(Component c, int index) {
        if (running(c, index).isPresent()) {
            throw new StackException(name(c, index) + " already runs");
        }
        requirePortFree(c, index);
        ProcessHandle process = start(c, index);
        awaitReady(c, index, process);
        return process;
    }

    /** Starts the process of one instance in the background, without waiting. */
    ProcessHandle start(Component c, int index) {
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
            throw new StackException("cannot start " + name(c, index) + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the instance is ready; throws with the end of its log if it stops or is not ready in 180 s. */
    public void awaitReady(Component c, int index, ProcessHandle process) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException(name(c, index) + " stopped while starting; the end of its log ("
                        + log(c, index) + "):\n" + tail(log(c, index), 25));
            }
            if (isReady(c, index)) {
                return;
            }
            sleep(250);
        }
        throw new StackException(name(c, index) + " was not ready after " + READY_TIMEOUT.toSeconds() + " s; see "
                + log(c, index) + ":\n" + tail(log(c, index), 25));
    }

    /** Kafka: it has printed its ready line and takes connections; a service: /q/health/ready answers 200. */
    public boolean isReady(Component c, int index) {
        if (c == Component.KAFKA) {
            return accepts(c.port(config)) && logSince(c.log(config), logStart.getOrDefault(c, 0L))
                    .contains(LocalKafkaBroker.READY_PREFIX);
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
        try {
            p.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new StackException(name(c, index) + " (pid " + p.get().pid() + ") did not end");
        }
        deleteQuietly(pidFile(c, index));
        return true;
    }

    /** A clean stop (SIGTERM) of one instance, killed after 30 s. Returns false if none ran. */
    public boolean stop(Component c, int index) {
        Optional<ProcessHandle> p = running(c, index);
        if (p.isEmpty()) {
            deleteQuietly(pidFile(c, index));
            return false;
        }
        p.get().destroy();
        try {
            p.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return kill(c, index);
        }
        deleteQuietly(pidFile(c, index));
        return true;
    }

    void requirePortFree(Component c, int index) {
        if (accepts(port(c, index))) {
            throw new StackException("port " + port(c, index) + " is taken by another program, so " + name(c, index)
                    + " cannot start; stop that program (see `ss -ltnp`)" + (index == 1
                    ? " or choose another port with TLSROLLOUT_" + c.name() + "_PORT" : ""));
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

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale pid file does no harm: running() checks the process
        }
    }
}
