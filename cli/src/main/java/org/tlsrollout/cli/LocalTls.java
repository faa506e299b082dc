package org.tlsrollout.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.tlsrollout.agent.http.TrustedCa;

/**
 * {@code ./tlsrollout up --tls}: every service serves HTTPS only, TLS 1.3 and 1.2 only (decisions.md, "HTTPS only,
 * TLS 1.2 and 1.3"), with the certificates {@code tools/make-certs.sh} makes in {@code <home>/tls}. The mode is
 * remembered there ({@code <home>/tls/enabled}), so that {@code status}, {@code down}, {@code demo} and a later
 * {@code up} reach the stack the way it was started; everything this CLI calls then trusts that CA only.
 */
public final class LocalTls {
    /** Protocols the services accept ({@code quarkus.tls.protocols}). */
    public static final String PROTOCOLS = "TLSv1.3,TLSv1.2";

    private LocalTls() {
    }

    public static Path dir(StackConfig c) {
        return c.home().resolve("tls");
    }

    /** The private CA that issued the services' certificate: what clients of the local stack trust. */
    public static Path caFile(StackConfig c) {
        return dir(c).resolve("ca.crt");
    }

    private static Path marker(StackConfig c) {
        return dir(c).resolve("enabled");
    }

    /** Whether the stack of this home runs (or is to run) HTTPS-only. */
    public static boolean enabled(StackConfig c) {
        return Files.exists(marker(c));
    }

    /**
     * Sets the mode before {@code up}: when no service of the stack runs, to {@code tls} (making the certificates
     * if needed); when services run, their mode stays, and asking for TLS while they run plain HTTP is an error.
     */
    public static void choose(StackConfig c, Stack stack, boolean tls, PrintStream out) {
        boolean servicesRun = stack.status().stream().anyMatch(s -> s.component() != Component.KAFKA && s.running());
        if (servicesRun) {
            if (tls && !enabled(c)) {
                throw new StackException("the stack runs with plain HTTP; stop it first (./tlsrollout down), then "
                        + "start it with --tls");
            }
            if (!tls && enabled(c)) {
                out.println("the stack runs HTTPS-only (started with --tls): it stays so");
            }
            return;
        }
        if (tls) {
            makeCertificates(c, out);
            write(marker(c), "# ./tlsrollout up --tls: the services serve HTTPS only (TLS 1.3 and 1.2) with the "
                    + "certificates of this folder\n");
        } else {
            try {
                Files.deleteIfExists(marker(c));
            } catch (IOException e) {
                throw new StackException("cannot delete " + marker(c) + ": " + e.getMessage(), e);
            }
        }
    }

    /** tools/make-certs.sh into {@code <home>/tls}, for 127.0.0.1 and localhost; keeps what is still good. */
    static void makeCertificates(StackConfig c, PrintStream out) {
        Path script = c.root().resolve("tools/make-certs.sh");
        if (!Files.isRegularFile(script)) {
            throw new StackException(script + " is missing: it makes the certificates of --tls");
        }
        try {
            Process p = new ProcessBuilder(List.of("bash", script.toString(), "--out", dir(c).toString()))
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new StackException("cannot make the certificates of --tls (" + script + "):\n" + output.strip());
            }
            output.lines().forEach(line -> out.println("  " + line));
        } catch (IOException e) {
            throw new StackException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        }
    }

    /**
     * What a service is given in TLS mode, the same settings as docker-compose.yml's: its certificate and key
     * (Quarkus' TLS registry), TLS 1.3 and 1.2 only, HTTPS on the service's port and no plain HTTP at all, and the
     * CA its own calls to other services trust ({@code TLSROLLOUT_TLS_CA}).
     */
    static Map<String, String> environment(StackConfig c, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_TLS_KEY_STORE_PEM_SERVER_CERT", dir(c).resolve("server.crt").toString());
        env.put("QUARKUS_TLS_KEY_STORE_PEM_SERVER_KEY", dir(c).resolve("server.key").toString());
        env.put("QUARKUS_TLS_PROTOCOLS", PROTOCOLS);
        env.put("QUARKUS_HTTP_INSECURE_REQUESTS", "disabled");
        env.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(port));
        env.put("TLSROLLOUT_TLS_CA", caFile(c).toString());
        return env;
    }

    /** In TLS mode, an SSLContext trusting the stack's CA only; else null (plain HTTP). */
    public static SSLContext sslContext(StackConfig c) {
        return enabled(c) ? TrustedCa.sslContext(caFile(c)) : null;
    }

    /** An HTTP client builder for the stack's services: in TLS mode it trusts the stack's CA only. */
    public static HttpClient.Builder client(StackConfig c) {
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (enabled(c)) {
            builder.sslContext(TrustedCa.sslContext(caFile(c))).sslParameters(TrustedCa.parameters());
        }
        return builder;
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
