package org.tlsrollout.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tlsrollout.platform.kafka.BrokerOptions;
import org.tlsrollout.platform.kafka.KafkaCredentials;
import org.tlsrollout.platform.net.FreePorts;

/**
 * Where the local stack lives and how it is reached: the repository (for the built services), the state folder
 * ({@code .tlsrollout}: logs, pid files, Kafka data and credentials, keys, tokens), the ports and the database.
 *
 * @param dbUser          the role remediation-service connects as: not a superuser, owner of its database
 *                        ({@link Database} creates both)
 * @param dbPassword      its password: from the environment, else made once and kept in {@code database.env}
 * @param dbAdminUser     the role the CLI creates that role and the database as (a superuser, or one with
 *                        CREATEROLE and CREATEDB)
 * @param dbAdminPassword its password
 */
public record StackConfig(
        Path root,
        Path home,
        int kafkaPort,
        int kafkaControllerPort,
        int collectorPort,
        int rulesPort,
        int remediationPort,
        int uiPort,
        int partitions,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String dbAdminUser,
        String dbAdminPassword,
        String javaOptions,
        Tokens tokens) {

    static final String DB_USER = "TLSROLLOUT_DB_USER";
    static final String DB_PASSWORD = "TLSROLLOUT_DB_PASSWORD";

    /** The defaults of api.md ("Processes and default local ports"), each overridable by an environment variable. */
    public static StackConfig fromEnvironment(Path root, Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("TLSROLLOUT_HOME", root.resolve(".tlsrollout").toString())).toAbsolutePath();
        return new StackConfig(root, home,
                port(env, "TLSROLLOUT_KAFKA_PORT", 9092),
                port(env, "TLSROLLOUT_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "TLSROLLOUT_COLLECTOR_PORT", 8081),
                port(env, "TLSROLLOUT_RULES_PORT", 8082),
                port(env, "TLSROLLOUT_REMEDIATION_PORT", 8083),
                port(env, "TLSROLLOUT_UI_PORT", 8080),
                port(env, "TLSROLLOUT_KAFKA_PARTITIONS", 12),
                env.getOrDefault("TLSROLLOUT_DB_URL", "jdbc:postgresql://127.0.0.1:5432/tlsrollout"),
                env.getOrDefault(DB_USER, "tlsrollout"),
                SecretsFile.load(home.resolve("database.env"), env, "password of the PostgreSQL role of the local"
                        + " stack's services, made by ./tlsrollout up; the environment overrides it",
                        List.of(DB_PASSWORD)).get(DB_PASSWORD),
                env.getOrDefault("TLSROLLOUT_DB_ADMIN_USER", "postgres"),
                env.getOrDefault("TLSROLLOUT_DB_ADMIN_PASSWORD", ""),
                env.getOrDefault("TLSROLLOUT_JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"),
                Tokens.load(home.resolve("tokens.env"), env));
    }

    private static final Pattern DB_URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(\\?.*)?$");

    /**
     * A stack of its own beside this one, for a benchmark or a reliability run, so that it never disturbs what
     * {@code up} runs: state folder {@code .tlsrollout/<name>}, distinct free ports, database
     * {@code tlsrollout_<name>} (dashes as underscores) on the same PostgreSQL server, the same partitions.
     */
    public StackConfig isolated(String name, String javaOptions) {
        Matcher db = DB_URL.matcher(dbUrl);
        if (!db.matches()) {
            throw new StackException("cannot derive a database for '" + name + "' from TLSROLLOUT_DB_URL " + dbUrl
                    + " (expected jdbc:postgresql://host:port/name)");
        }
        Map<String, String> env = new HashMap<>();
        env.put("TLSROLLOUT_HOME", root.resolve(".tlsrollout").resolve(name).toAbsolutePath().toString());
        int[] ports = FreePorts.pick(6);
        env.put("TLSROLLOUT_KAFKA_PORT", Integer.toString(ports[0]));
        env.put("TLSROLLOUT_KAFKA_CONTROLLER_PORT", Integer.toString(ports[1]));
        env.put("TLSROLLOUT_COLLECTOR_PORT", Integer.toString(ports[2]));
        env.put("TLSROLLOUT_RULES_PORT", Integer.toString(ports[3]));
        env.put("TLSROLLOUT_REMEDIATION_PORT", Integer.toString(ports[4]));
        env.put("TLSROLLOUT_UI_PORT", Integer.toString(ports[5]));
        env.put("TLSROLLOUT_KAFKA_PARTITIONS", Integer.toString(partitions));
        env.put("TLSROLLOUT_DB_URL", db.group(1) + "tlsrollout_" + name.replace('-', '_')
                + (db.group(3) == null ? "" : db.group(3)));
        env.put(DB_USER, dbUser);
        env.put(DB_PASSWORD, dbPassword);
        env.put("TLSROLLOUT_DB_ADMIN_USER", dbAdminUser);
        env.put("TLSROLLOUT_DB_ADMIN_PASSWORD", dbAdminPassword);
        env.put("TLSROLLOUT_JAVA_OPTS", javaOptions);
        return fromEnvironment(root, env);
    }

    private static int port(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** {@code https} when the stack runs HTTPS-only ({@code up --tls}, remembered in the home), else {@code http}. */
    public String scheme() {
        return tls() ? "https" : "http";
    }

    /** Whether the services serve HTTPS only ({@link LocalTls}). */
    public boolean tls() {
        return LocalTls.enabled(this);
    }

    public String collectorUrl() {
        return scheme() + "://127.0.0.1:" + collectorPort;
    }

    public String rulesUrl() {
        return scheme() + "://127.0.0.1:" + rulesPort;
    }

    public String remediationUrl() {
        return scheme() + "://127.0.0.1:" + remediationPort;
    }

    public String uiUrl() {
        return scheme() + "://127.0.0.1:" + uiPort;
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path run() {
        return home.resolve("run");
    }

    public Path kafkaData() {
        return home.resolve("kafka");
    }

    /** The broker's principals' passwords, owner-only, beside its data (so {@code down --wipe} renews both). */
    public Path kafkaCredentialsFile() {
        return BrokerOptions.defaultCredentials(kafkaData());
    }

    /** The broker's credentials, made now when there are none. */
    public KafkaCredentials kafkaCredentials() {
        return KafkaCredentials.loadOrCreate(kafkaCredentialsFile());
    }

    /** The settings of a Kafka client of the local broker that authenticates as {@code principal}. */
    public Map<String, Object> kafkaClient(String principal) {
        Map<String, Object> settings = new HashMap<>(kafkaCredentials().clientSettings(principal));
        settings.put("bootstrap.servers", bootstrapServers());
        return settings;
    }
}
