package org.tlsrollout.platform.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link LocalKafkaBroker} run as a child process with this JVM's class path. Its output goes to a file, not a pipe,
 * so that what it prints while it stops is not lost when it exits.
 */
final class BrokerProcess implements AutoCloseable {

    private final Process process;
    private final Path outputFile;
    private final long spawnedAt = System.nanoTime();
    private long millisToReady = -1;

    private BrokerProcess(Process process, Path outputFile) {
        this.process = process;
        this.outputFile = outputFile;
    }

    static BrokerProcess start(Path outputFile, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a short-lived broker starts faster without the optimizing compiler
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                LocalKafkaBroker.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile())
                .start();
        return new BrokerProcess(process, outputFile);
    }

    /** Waits for the ready line and returns the bootstrap address it names. */
    String awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> ready = output().lines()
                    .filter(line -> line.startsWith(LocalKafkaBroker.READY_PREFIX))
                    .findFirst();
            if (ready.isPresent()) {
                millisToReady = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - spawnedAt);
                return ready.get().substring(LocalKafkaBroker.READY_PREFIX.length()).trim();
            }
            if (!process.isAlive()) {
                throw new AssertionError("the broker process ended (exit code " + process.exitValue()
                        + ") without a ready line; its output:\n" + output());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + LocalKafkaBroker.READY_PREFIX + "' line within " + timeout.toSeconds()
                + " s; output so far:\n" + output());
    }

    /** Milliseconds from spawning the process to seeing its ready line, once {@link #awaitReady} returned. */
    long millisToReady() {
        return millisToReady;
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the broker process did not exit within " + timeout.toSeconds()
                    + " s; output so far:\n" + output());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM and waits for the process to end; returns its exit code. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    String output() {
        try {
            return Files.readString(outputFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
