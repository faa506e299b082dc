package org.tlsrollout.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The example snapshots of the contract (contract/examples), shipped for tests, the demo and the docs. */
public final class Examples {
    public static final String WIN7_CLIENT_BEFORE = "win7-client-before.json";
    public static final String WIN10_CLIENT_DONE = "win10-client-done.json";
    public static final String SERVER2012R2_PRIMARY_SITE = "server2012r2-primary-site.json";
    public static final List<String> ALL = List.of(WIN7_CLIENT_BEFORE, WIN10_CLIENT_DONE, SERVER2012R2_PRIMARY_SITE);

    private Examples() {
    }

    public static String json(String name) {
        try (InputStream in = Examples.class.getResourceAsStream("/org/tlsrollout/contracts/examples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no example named " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
