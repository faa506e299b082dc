package org.tlsrollout.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.tlsrollout.platform.net.FreePorts;
import org.tlsrollout.testing.TestDatabase;

/**
 * A whole stack as `./tlsrollout up` runs it, for one test class: a broker process and the packaged services on
 * free ports, a database of its own (made by {@link TestDatabase}, handed over to the services' role by
 * {@link Database}, as `up` does with a database made by an earlier release), and a state folder that the test
 * deletes.
 */
final class TestStack implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("tlsrollout.root", "..")).toAbsolutePath().normalize();

    final TestDatabase database;
    final StackConfig config;
    final Stack stack;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private TestStack(Path home) throws IOException {
        database = TestDatabase.create();
        int[] ports = FreePorts.pick(6);
        // The services connect as a role of the tests' own (not the user's tlsrollout), which the stack creates.
        config = new StackConfig(ROOT, home, ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], 3,
                database.jdbcUrl(), "tlsrollout_it", "it-db-password", database.username(), database.password(),
                "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                new Tokens("it-operator", "it-viewer", "it-enroll"));
        stack = new Stack(config, new PrintStream(output, true));
    }

    /** Starts everything and waits until it is ready. */
    static TestStack up(Path home) throws IOException {
        return up(home, false);
    }

    /** Starts everything, HTTPS-only when {@code tls} (as `./tlsrollout up --tls`), and waits until it is ready. */
    static TestStack up(Path home, boolean tls) throws IOException {
        TestStack s = new TestStack(home);
        try {
            LocalTls.choose(s.config, s.stack, tls, new PrintStream(s.output, true));
            s.stack.up();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    @Override
    public void close() {
        try {
            stack.down(false);
        } finally {
            database.close();
        }
    }
}
