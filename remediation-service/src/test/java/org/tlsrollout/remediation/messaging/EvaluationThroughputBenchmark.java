package org.tlsrollout.remediation.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.testing.KafkaTestResource;
import org.tlsrollout.platform.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.service.MachineStore;
import org.tlsrollout.remediation.service.MachineUpdate;

/**
 * How many evaluations a second reach PostgreSQL. Not part of the default build (its name is not a test's); run it
 * with {@code mvn -pl remediation-service verify -Dtest=EvaluationThroughputBenchmark}. The goal is 10,000 a
 * second ({@code -Dbenchmark.min-rate} changes the bar). Evaluations are those of a Windows 7 client before the
 * rollout: 17 results, 6 of them FAIL with their actions (about 3 KB of JSON each).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
public class EvaluationThroughputBenchmark {
    private static final int MACHINES = Integer.getInteger("benchmark.machines", 100_000);
    private static final double MIN_RATE = Double.parseDouble(System.getProperty("benchmark.min-rate", "10000"));

    @Inject
    MachineStore store;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    KafkaClientService kafka;

    /** Each measure starts on a vacuumed table, not on the dead rows of the one before. */
    @BeforeEach
    void vacuum() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE machine");
        }
    }

    /** The batch upsert alone: batches of 2,000 (max.poll.records), one transaction each. */
    @Test
    void batchUpsert() {
        String run = "store-" + UUID.randomUUID().toString().substring(0, 6);
        List<MachineUpdate> all = new ArrayList<>(MACHINES);
        for (int i = 0; i < MACHINES; i++) {
            all.add(MachineUpdate.of(win7Client(run + "-" + i, site(i)), null));
        }
        long started = System.nanoTime();
        for (int from = 0; from < MACHINES; from += 2000) {
            store.apply(all.subList(from, Math.min(MACHINES, from + 2000)));
        }
        double inserts = rate(MACHINES, started);
        // The same machines again, each with a newer snapshot: every row is replaced.
        List<MachineUpdate> newer = all.stream().map(u -> new MachineUpdate(u.machineId(), u.siteCode(),
                u.machineClass(), u.osVersion(), u.roles(), u.collectedAt().plusSeconds(60), u.receivedAt(),
                u.evaluatedAt(), u.snapshotId(), u.sequence(), u.lastBootAt(), u.catalogVersion(), u.phases(),
                u.findingsJson())).toList();
        started = System.nanoTime();
        for (int from = 0; from < MACHINES; from += 2000) {
            store.apply(newer.subList(from, Math.min(MACHINES, from + 2000)));
        }
        double updates = rate(MACHINES, started);
        System.out.printf("BENCHMARK batch upsert: %d new machines at %.0f/s, %d newer evaluations at %.0f/s%n",
                MACHINES, inserts, MACHINES, updates);
        assertThat(Math.min(inserts, updates)).isGreaterThanOrEqualTo(MIN_RATE);
    }

    /**
     * Kafka to PostgreSQL through EvaluationListener, after a warm-up round (the service runs warm; the first seconds
     * of a JVM measure the JIT). The evaluations wait in the topic while the consumer is paused, so that the time
     * measured, from resuming to the last row written, is the consumer's alone and not shared with the producer of
     * the test and the in-process broker taking its records.
     */
    @Test
    void kafkaToPostgres() throws Exception {
        String warmUp = "warm-" + UUID.randomUUID().toString().substring(0, 6);
        produce(warmUp, MACHINES / 5);
        TestEstate.awaitConsumed(Duration.ofMinutes(10));
        assertThat(count(warmUp + "-%")).isEqualTo(MACHINES / 5);

        KafkaConsumer<Object, Object> consumer = kafka.getConsumer(EvaluationListener.CHANNEL);
        consumer.pause().await().atMost(Duration.ofSeconds(30));
        String run = "kafka-" + UUID.randomUUID().toString().substring(0, 6);
        double sent = produce(run, MACHINES);
        assertThat(count(run + "-%")).as("nothing consumed while paused").isZero();
        long started = System.nanoTime();
        consumer.resume().await().atMost(Duration.ofSeconds(30));
        // Done when the consumer group has committed every offset (every 200 ms in the test profile), which happens
        // only after the batches' transactions committed; counting rows instead would scan the table all along.
        TestEstate.awaitConsumed(Duration.ofMinutes(10));
        double written = rate(MACHINES, started);
        assertThat(count(run + "-%")).isEqualTo(MACHINES);
        System.out.printf("BENCHMARK Kafka to PostgreSQL: %d evaluations (sent at %.0f/s) consumed and written at "
                + "%.0f/s%n", MACHINES, sent, written);
        assertThat(written).isGreaterThanOrEqualTo(MIN_RATE);
    }

    /** Sends n evaluations and returns the rate at which Kafka took them. */
    private double produce(String run, int n) throws Exception {
        List<ProducerRecord<String, String>> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ProducerRecord<String, String> record = TestEstate.record(null, run + "-" + i,
                    TestEstate.json(win7Client(run + "-" + i, site(i))));
            records.add(new ProducerRecord<>(Topics.EVALUATIONS, null, record.key(), record.value(), record.headers()));
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            records.forEach(producer::send);
        }
        return rate(n, started);
    }

    private long count(String pattern) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT count(*) FROM machine WHERE machine_id LIKE ?")) {
            statement.setString(1, pattern);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static double rate(int n, long startedNanos) {
        return n / ((System.nanoTime() - startedNanos) / 1e9);
    }

    private static String site(int i) {
        return "B" + (char) ('A' + i % 20) + "1";
    }

    /** A Windows 7 client before the rollout, as rules-service evaluates it. */
    public static EvaluationEvent win7Client(String machineId, String site) {
        Instant collectedAt = Instant.now().minusSeconds(5);
        String net4 = "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319";
        String sch = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client";
        List<RuleResult> results = List.of(
                fail(RuleId.WINHTTP_KB3140245, Phase.CLIENTS, "KB3140245 is not installed", "001, 002, 003",
                        List.of(Action.installUpdate("KB3140245"))),
                fail(RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS, Phase.CLIENTS,
                        "DefaultSecureProtocols is absent in WinHttp (TLS 1.2 bit 0x800 not set)", "001, 002, 003",
                        List.of(Action.setDword("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings"
                                + "\\WinHttp", "DefaultSecureProtocols", 0xAA0), Action.restart("WinHTTP"))),
                fail(RuleId.SCHANNEL_TLS12_CLIENT, Phase.CLIENTS, "TLS 1.2 is off by default on OS 6.1", "001, 004",
                        List.of(Action.setDword(sch, "Enabled", 1), Action.setDword(sch, "DisabledByDefault", 0),
                                Action.restart("SChannel"))),
                fail(RuleId.DOTNET_VERSION, Phase.CLIENTS, ".NET Framework 4.5.2 (379893) is older than 4.6.2",
                        "000, 001, 003", List.of(Action.installSoftware("dotnet-framework", "4.8"))),
                fail(RuleId.DOTNET_STRONG_CRYPTO, Phase.CLIENTS, "SchUseStrongCrypto is not 1 in 2 keys",
                        "000, 001, 003", List.of(Action.setDword(net4, "SchUseStrongCrypto", 1),
                                Action.setDword(net4.replace("v4.0.30319", "v2.0.50727"), "SchUseStrongCrypto", 1),
                                Action.restart(".NET"))),
                fail(RuleId.DOTNET_SYSTEM_DEFAULT_TLS, Phase.CLIENTS, "SystemDefaultTlsVersions is not 1 in 2 keys",
                        "000, 001, 003", List.of(Action.setDword(net4, "SystemDefaultTlsVersions", 1),
                                Action.setDword(net4.replace("v4.0.30319", "v2.0.50727"), "SystemDefaultTlsVersions", 1),
                                Action.restart(".NET"))),
                TestEstate.result(RuleId.SCHANNEL_TLS12_SERVER, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                TestEstate.result(RuleId.SQL_SERVER_TLS12, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                TestEstate.result(RuleId.SQL_SECONDARY_SITE_VERSION, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                TestEstate.result(RuleId.SQL_NATIVE_CLIENT, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                TestEstate.result(RuleId.WSUS_TLS12_UPDATE, RuleStatus.NOT_APPLICABLE, Phase.SITE_SYSTEMS),
                TestEstate.result(RuleId.FIPS_POLICY, RuleStatus.PASS, Phase.CLIENTS),
                TestEstate.result(RuleId.DOTNET_48_CONSOLE, RuleStatus.NOT_APPLICABLE, Phase.CLIENTS),
                TestEstate.result(RuleId.REBOOT_COMPLETED, RuleStatus.PASS, Phase.VERIFY),
                TestEstate.result(RuleId.TLS12_HANDSHAKE, RuleStatus.PASS, Phase.VERIFY),
                TestEstate.result(RuleId.KNOWN_TLS_ERRORS, RuleStatus.PASS, Phase.VERIFY),
                TestEstate.result(RuleId.SCHANNEL_LEGACY_DISABLED, RuleStatus.NOT_APPLICABLE, Phase.DISABLE_LEGACY));
        Map<Phase, PhaseState> phases = TestEstate.phases(PhaseState.NONCOMPLIANT, PhaseState.NOT_APPLICABLE,
                PhaseState.COMPLIANT, PhaseState.NOT_APPLICABLE);
        return new EvaluationEvent(machineId, site, UUID.randomUUID().toString(), collectedAt, "1",
                MachineClass.CLIENT, results, phases, collectedAt.plusSeconds(1), collectedAt.plusSeconds(2), "6.1",
                List.of(Role.CLIENT), collectedAt.minus(Duration.ofDays(3)), 42L);
    }

    private static RuleResult fail(RuleId rule, Phase phase, String message, String source, List<Action> actions) {
        return new RuleResult(rule, RuleStatus.FAIL, rule.severity(), phase, message, source, actions);
    }
}
