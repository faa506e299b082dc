package org.tlsrollout.agent.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands as child processes. Arguments are passed one by one (never through a shell), so a key with
 * spaces ({@code ...\Internet Settings\WinHttp}, {@code ...\TLS 1.2\Client}) stays one argument; on Windows
 * the JDK quotes it, which is what {@code reg query "<key>"} expects.
 */
public final class ProcessCommandRunner implements CommandRunner {
    private final Duration timeout;
    private final Charset charset;

    public ProcessCommandRunner() {
        this(Duration.ofSeconds(30), Charset.defaultCharset());
    }

    public ProcessCommandRunner(Duration timeout, Charset charset) {
        this.timeout = timeout;
        this.charset = charset;
    }

    @Override
    public Result run(List<String> command, Duration max) throws IOException {
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                // left running: an installer killed halfway is worse than one that finishes after the job
                throw new StillRunningException(command.get(0) + " still running after " + max);
            }
            return new Result(process.exitValue(), "", "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
    }

    @Override
    public Result run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String stdout = read(process.getInputStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), stdout, stderr.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } catch (ExecutionException e) {
            throw new IOException("cannot read the error output of " + command.get(0), e.getCause());
        }
    }

    private String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), charset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
