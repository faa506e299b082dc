package org.tlsrollout.platform.kafka;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.tlsrollout.platform.io.PrivateFiles;

/**
 * The SCRAM-SHA-512 passwords of one installation's broker, one per principal of {@link KafkaPrincipals#ALL}: random,
 * made on first use and kept in a properties file readable by its owner only. The broker reads them to create the
 * credentials; the CLI gives each service its own by environment ({@link #serviceEnvironment}).
 */
public final class KafkaCredentials {
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";
    /** What the services' application.properties read ({@code kafka.security.protocol}, {@code kafka.sasl.jaas.config}). */
    public static final String PROTOCOL_ENV = "TLSROLLOUT_KAFKA_SECURITY_PROTOCOL";
    public static final String USER_ENV = "TLSROLLOUT_KAFKA_USER";
    public static final String PASSWORD_ENV = "TLSROLLOUT_KAFKA_PASSWORD";

    private static final SecureRandom RANDOM = new SecureRandom();
    /** What a JAAS line and a SCRAM argument of kafka-storage take unquoted: what {@link #generate()} makes. */
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9_-]{16,}");

    private final Map<String, String> passwords;

    private KafkaCredentials(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    /** The passwords in {@code file}; any principal missing there (or the whole file) gets a new one, saved. */
    public static KafkaCredentials loadOrCreate(Path file) {
        Properties saved = new Properties();
        try {
            if (Files.exists(file)) {
                saved.load(new StringReader(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka credentials " + file, e);
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        boolean changed = false;
        for (String principal : KafkaPrincipals.ALL) {
            String password = saved.getProperty(principal, "").trim();
            if (!password.isEmpty() && !PASSWORD.matcher(password).matches()) {
                throw new IllegalStateException("the Kafka password of " + principal + " in " + file + " has characters"
                        + " other than letters, digits, '-' and '_'; delete the line and a new one is made");
            }
            if (password.isEmpty()) {
                password = generate();
                changed = true;
            }
            passwords.put(principal, password);
        }
        if (changed) {
            StringBuilder text = new StringBuilder("# SCRAM-SHA-512 passwords of the local Kafka broker's principals,"
                    + " made once; keep this file readable by its owner only\n");
            passwords.forEach((principal, password) -> text.append(principal).append('=').append(password).append('\n'));
            PrivateFiles.write(file, text.toString());
        }
        return new KafkaCredentials(passwords);
    }

    public String password(String principal) {
        String password = passwords.get(principal);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka principal " + principal + "; they are " + KafkaPrincipals.ALL);
        }
        return password;
    }

    /** Every principal's password, by principal. */
    public Map<String, String> passwords() {
        return passwords;
    }

    /** The settings of a Kafka client (admin, producer, consumer) that authenticates as {@code principal}. */
    public Map<String, Object> clientSettings(String principal) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SECURITY_PROTOCOL,
                SaslConfigs.SASL_MECHANISM, MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, scramJaas(principal, password(principal)));
    }

    /** The environment that makes a service's Kafka clients authenticate as {@code principal}. */
    public Map<String, String> serviceEnvironment(String principal) {
        return Map.of(PROTOCOL_ENV, SECURITY_PROTOCOL, USER_ENV, principal, PASSWORD_ENV, password(principal));
    }

    static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** 24 random bytes, base64url: nothing that needs quoting in a JAAS line or a SCRAM format argument. */
    private static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
