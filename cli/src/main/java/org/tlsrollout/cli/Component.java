package org.tlsrollout.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tlsrollout.platform.kafka.KafkaPrincipals;
import org.tlsrollout.platform.kafka.LocalKafkaBroker;

/** One process of the local stack, in start order: how to run it and how to know it is ready. */
public enum Component {
    KAFKA("kafka", null),
    COLLECTOR("collector-service", "collector-service"),
    RULES("rules-service", "rules-service"),
    REMEDIATION("remediation-service", "remediation-service"),
    UI("ui", "ui");

    private final String displayName;
    private final String module;

    Component(String displayName, String module) {
        this.displayName = displayName;
        this.module = module;
    }

    public String displayName() {
        return displayName;
    }

    public int port(StackConfig c) {
        return switch (this) {
            case KAFKA -> c.kafkaPort();
            case COLLECTOR -> c.collectorPort();
            case RULES -> c.rulesPort();
            case REMEDIATION -> c.remediationPort();
            case UI -> c.uiPort();
        };
    }

    /** The URL shown to people, or the bootstrap address for Kafka. */
    public String address(StackConfig c) {
        return this == KAFKA ? c.bootstrapServers() : c.scheme() + "://127.0.0.1:" + port(c);
    }

    /** The packaged Quarkus application of a service, null for Kafka. */
    public Path application(StackConfig c) {
        return module == null ? null : c.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** A marker on the command line, so that a pid file never makes us stop another program that reused the pid. */
    public String marker() {
        return "-Dtlsrollout.component=" + name().toLowerCase();
    }

    public List<String> command(StackConfig c) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(marker());
        for (String option : c.javaOptions().trim().split("\\s+")) {
            if (!option.isEmpty()) {
                cmd.add(option);
            }
        }
        if (this == KAFKA) {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalKafkaBroker.class.getName(),
                    "--port", Integer.toString(c.kafkaPort()),
                    "--controller-port", Integer.toString(c.kafkaControllerPort()),
                    "--data-dir", c.kafkaData().toString(),
                    "--partitions", Integer.toString(c.partitions()),
                    "--credentials", c.kafkaCredentialsFile().toString()));
        } else {
            cmd.addAll(List.of("-jar", application(c).toString()));
        }
        return cmd;
    }

    /** The broker's principal of a service that talks to Kafka (KafkaPrincipals), null for the others. */
    public String kafkaPrincipal() {
        return switch (this) {
            case COLLECTOR -> KafkaPrincipals.COLLECTOR;
            case RULES -> KafkaPrincipals.RULES;
            case REMEDIATION -> KafkaPrincipals.REMEDIATION;
            case KAFKA, UI -> null;
        };
    }

    /**
     * Whether it connects to the stack's database ({@link Database}): remediation-service, and the collector, which
     * keeps the agents' identity bindings there in a schema of its own.
     */
    public boolean usesDatabase() {
        return this == COLLECTOR || this == REMEDIATION;
    }

    /**
     * The process's environment: the tokens, and for a service that talks to Kafka its own principal's credentials
     * (made with the broker's, {@link StackConfig#kafkaCredentials()}); secrets go by environment, which only the
     * owner can read ({@code /proc/<pid>/environ}), never on the command line.
     */
    public Map<String, String> environment(StackConfig c) {
        Map<String, String> env = new HashMap<>(c.tokens().asEnvironment());
        if (kafkaPrincipal() != null) {
            env.putAll(c.kafkaCredentials().serviceEnvironment(kafkaPrincipal()));
        }
        env.put("TLSROLLOUT_HOME", c.home().toString());
        env.put("KAFKA_BOOTSTRAP_SERVERS", c.bootstrapServers());
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        if (System.getenv("MALLOC_ARENA_MAX") == null) {
            // glibc gives each busy thread its own malloc arena (up to 8 per core): resident memory that a JVM, which
            // allocates on its own heap, barely uses. Two keep the services' RSS down (B5, docs/benchmarks.md).
            env.put("MALLOC_ARENA_MAX", "2");
        }
        if (this != KAFKA) {
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port(c)));
            if (c.tls()) {
                env.putAll(LocalTls.environment(c, port(c)));
            }
        }
        if (usesDatabase()) {
            env.put("TLSROLLOUT_DB_URL", c.dbUrl());
            env.put("TLSROLLOUT_DB_USER", c.dbUser());
            env.put("TLSROLLOUT_DB_PASSWORD", c.dbPassword());
        }
        if (this == REMEDIATION) {
            env.put("TLSROLLOUT_COLLECTOR_URL", c.collectorUrl());
            env.putAll(SigningKeys.environment(c));
        }
        if (this == UI) {
            env.put("TLSROLLOUT_REMEDIATION_URL", c.remediationUrl());
        }
        return env;
    }

    /** Null when the component can run, else what is missing. */
    public String missing(StackConfig c) {
        Path app = application(c);
        if (app != null && !Files.isRegularFile(app)) {
            return app + " is not built; run `mvn -DskipTests package` (./tlsrollout does it for you)";
        }
        return null;
    }

    public Path log(StackConfig c) {
        return c.logs().resolve(displayName + ".log");
    }

    public Path pidFile(StackConfig c) {
        return c.run().resolve(displayName + ".pid");
    }
}
