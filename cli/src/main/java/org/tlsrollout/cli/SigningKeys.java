package org.tlsrollout.cli;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.tlsrollout.contracts.EcJwk;
import org.tlsrollout.contracts.EcPem;
import org.tlsrollout.contracts.Endorsement;
import org.tlsrollout.platform.io.PrivateFiles;

/**
 * The keys that sign fix jobs on the local stack (api.md, "Signed fix jobs", key rotation), in {@code <home>/keys}.
 * remediation-service makes the first one, {@value #FIRST}, on its first start. {@code ./tlsrollout keys rotate}
 * ({@link #rotate}) makes the next one beside it with its endorsement by the current key
 * ({@code <key file>}{@value Endorsement#FILE_SUFFIX}, which remediation-service publishes with the key in its
 * JWKS), and records in {@value #STATE} which key signs and which earlier ones stay published; the CLI gives both to
 * remediation-service when it starts it ({@link #environment}).
 */
public final class SigningKeys {
    /** remediation-service's default {@code remediation.signing.key-file}. */
    static final String FIRST = "job-signing.pem";
    /** Which key signs ({@code key-file}) and which are still published ({@code previous-key-files}), by file name. */
    static final String STATE = "job-signing.rotation";
    /** {@code remediation.jobs.ttl}'s default: how long a job signed with a key may still be applied. */
    static final Duration DEFAULT_JOB_TTL = Duration.ofHours(2);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SigningKeys() {
    }

    /** The keys of one stack, by file name in {@link #dir}: the signing one first, then the earlier ones. */
    record State(String keyFile, List<String> previousKeyFiles) {
    }

    /** What {@link #rotate} did. */
    record Rotation(Path newKey, String newKid, Path endorsement, Path previousKey, String previousKid,
            Instant droppableAfter) {
    }

    static Path dir(StackConfig c) {
        return c.home().resolve("keys");
    }

    static State state(StackConfig c) {
        Path file = dir(c).resolve(STATE);
        if (!Files.exists(file)) {
            return new State(FIRST, List.of());
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String previous = p.getProperty("previous-key-files", "").trim();
        return new State(p.getProperty("key-file", FIRST).trim(),
                previous.isEmpty() ? List.of() : Arrays.stream(previous.split(",")).map(String::trim).toList());
    }

    /**
     * remediation-service's {@code remediation.signing.key-file} and {@code previous-key-files} once a key was
     * rotated; nothing before (the service's defaults).
     */
    static Map<String, String> environment(StackConfig c) {
        if (!Files.exists(dir(c).resolve(STATE))) {
            return Map.of();
        }
        State state = state(c);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REMEDIATION_SIGNING_KEY_FILE", dir(c).resolve(state.keyFile()).toString());
        if (!state.previousKeyFiles().isEmpty()) {
            env.put("REMEDIATION_SIGNING_PREVIOUS_KEY_FILES", String.join(",",
                    state.previousKeyFiles().stream().map(f -> dir(c).resolve(f).toString()).toList()));
        }
        return env;
    }

    /**
     * Makes a new EC P-256 job-signing key (PKCS#8 PEM, owner-only from its creation) and its endorsement by the
     * current key, and records that the new key signs from remediation-service's next start while the current one
     * joins the previous keys, still published for the jobs it signed.
     */
    static Rotation rotate(StackConfig c, Instant now, Duration jobTtl) {
        State state = state(c);
        Path current = dir(c).resolve(state.keyFile());
        if (!Files.isRegularFile(current)) {
            throw new StackException("there is no job-signing key at " + current + " yet: remediation-service makes"
                    + " it on its first start (./tlsrollout up)");
        }
        KeyPair signing;
        try {
            signing = fromPem(Files.readString(current));
        } catch (IOException e) {
            throw new StackException("cannot read the job-signing key " + current + ": " + e.getMessage(), e);
        }
        KeyPair next = generate();
        String name = "job-signing-" + STAMP.format(now.truncatedTo(ChronoUnit.SECONDS)) + ".pem";
        Path newKey = dir(c).resolve(name);
        if (Files.exists(newKey)) {
            throw new StackException(newKey + " exists already: one rotation a second at most");
        }
        PrivateFiles.write(newKey, toPem(next));
        Path endorsement = dir(c).resolve(name + Endorsement.FILE_SUFFIX);
        PrivateFiles.write(endorsement, Endorsement.create(signing.getPrivate(), signing.getPublic(), next.getPublic(),
                now));
        List<String> previous = new ArrayList<>();
        previous.add(state.keyFile());
        previous.addAll(state.previousKeyFiles());
        PrivateFiles.write(dir(c).resolve(STATE), "# ./tlsrollout keys rotate: the key that signs jobs and the earlier"
                + " ones remediation-service still publishes, by file name in this folder; restart it after a change\n"
                + "key-file=" + name + "\n"
                + "previous-key-files=" + String.join(",", previous) + "\n");
        return new Rotation(newKey, EcJwk.thumbprint(next.getPublic()), endorsement, current,
                EcJwk.thumbprint(signing.getPublic()), now.plus(jobTtl));
    }

    static KeyPair generate() {
        return EcPem.generate();
    }

    /** PKCS#8 PEM, as remediation-service reads and writes its key file. */
    static String toPem(KeyPair pair) {
        return EcPem.toPem(pair);
    }

    static KeyPair fromPem(String pem) {
        try {
            return EcPem.fromPem(pem);
        } catch (IllegalArgumentException e) {
            throw new StackException(e.getMessage(), e);
        }
    }
}
