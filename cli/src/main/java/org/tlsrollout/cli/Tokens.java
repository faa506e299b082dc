package org.tlsrollout.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The operator token, the viewer token and the enrollment secret (api.md, "Commands"): taken from the
 * environment when set, else from {@code tokens.env} in the state folder, else generated once and kept there.
 */
public record Tokens(String operator, String viewer, String enrollSecret) {
    public static final String OPERATOR = "TLSROLLOUT_OPERATOR_TOKEN";
    public static final String VIEWER = "TLSROLLOUT_VIEWER_TOKEN";
    public static final String ENROLL = "TLSROLLOUT_ENROLL_SECRET";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static Tokens load(Path file, Map<String, String> env) {
        Properties saved = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                saved.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        boolean generated = false;
        for (String name : new String[] {OPERATOR, VIEWER, ENROLL}) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                value = saved.getProperty(name);
            }
            if (value == null || value.isBlank()) {
                value = generate();
                saved.setProperty(name, value);
                generated = true;
            }
            values.put(name, value);
        }
        if (generated) {
            save(file, saved);
        }
        return new Tokens(values.get(OPERATOR), values.get(VIEWER), values.get(ENROLL));
    }

    private static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void save(Path file, Properties values) {
        try {
            Files.createDirectories(file.getParent());
            StringBuilder text = new StringBuilder("# tokens of the local stack, made by ./tlsrollout up; the environment overrides them\n");
            for (String name : new String[] {OPERATOR, VIEWER, ENROLL}) {
                text.append(name).append('=').append(values.getProperty(name)).append('\n');
            }
            Files.writeString(file, text);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The environment a service reads its tokens from. */
    public Map<String, String> asEnvironment() {
        return Map.of(OPERATOR, operator, VIEWER, viewer, ENROLL, enrollSecret);
    }
}
