package org.tlsrollout.cli;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.tlsrollout.platform.io.PrivateFiles;

/**
 * Secrets of the local stack kept as {@code NAME=value} lines in a file readable by its owner only
 * ({@code tokens.env}, {@code database.env}): a value set in the environment wins; a value neither there nor in the
 * file is generated once and kept. The file is written owner-only from its creation ({@link PrivateFiles}).
 */
final class SecretsFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretsFile() {
    }

    /** The value of each of {@code names}, by name, in that order. */
    static Map<String, String> load(Path file, Map<String, String> env, String header, List<String> names) {
        Properties saved = new Properties();
        if (Files.exists(file)) {
            try {
                saved.load(new StringReader(Files.readString(file)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        boolean generated = false;
        for (String name : names) {
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
            StringBuilder text = new StringBuilder("# ").append(header).append('\n');
            for (String name : names) {
                if (saved.getProperty(name) != null) {
                    text.append(name).append('=').append(saved.getProperty(name)).append('\n');
                }
            }
            PrivateFiles.write(file, text.toString());
        }
        return values;
    }

    /** 24 random bytes, base64url: safe unquoted in a shell, an env file, a JAAS line or SQL. */
    static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
