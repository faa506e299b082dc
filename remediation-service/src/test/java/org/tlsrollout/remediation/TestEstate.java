package org.tlsrollout.remediation;

import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.awaitility.core.ConditionFactory;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.CloudEvents;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.contracts.Severity;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.testing.KafkaTestResource;

/**
 * Evaluations for the tests, sent to the real topic as rules-service sends them (binary CloudEvents, key = machine
 * id), and reads of the service over HTTP. Every test makes its own sites and machines, so that the tests, which
 * share one application and one database, do not see each other's.
 */
public final class TestEstate {
    public static final String OPERATOR_TOKEN = "test-operator-token";
    public static final String VIEWER_TOKEN = "test-viewer-token";
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    public static final String CONSUMER_GROUP = "remediation-service";
    /** The largest page GET /api/v1/machines serves (MachineResource.MAX_SIZE). */
    private static final int LIST_SIZE = 500;

    private static final AtomicInteger SITES = new AtomicInteger();
    private static KafkaProducer<String, String> producer;

    private TestEstate() {
    }

    /**
     * Waits at most {@link #PATIENCE} for a condition, checking it at once and then every 100 ms (unless given another
     * interval). Awaitility's own default waits one interval before the first check.
     */
    public static ConditionFactory eventually() {
        return await().atMost(PATIENCE).pollDelay(Duration.ZERO);
    }

    /** A site code no other test of this run uses. */
    public static String newSite() {
        int n = SITES.getAndIncrement();
        String digits = Integer.toString(n, 36).toUpperCase();
        if (digits.length() > 2) {
            throw new IllegalStateException("more than 1296 test sites");
        }
        return "T" + "0".repeat(2 - digits.length()) + digits;
    }

    /** Now, to the millisecond: what PostgreSQL keeps of an instant (it keeps microseconds) and gives back. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static String newMachineId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Every phase in {@code state}. */
    public static Map<Phase, PhaseState> allPhases(PhaseState state) {
        Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            phases.put(phase, state);
        }
        return phases;
    }

    public static Map<Phase, PhaseState> phases(PhaseState clients, PhaseState siteSystems, PhaseState verify,
            PhaseState disableLegacy) {
        Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.CLIENTS, clients);
        phases.put(Phase.SITE_SYSTEMS, siteSystems);
        phases.put(Phase.VERIFY, verify);
        phases.put(Phase.DISABLE_LEGACY, disableLegacy);
        return phases;
    }

    public static EvaluationEvent evaluation(String machineId, String site, Instant collectedAt,
            Map<Phase, PhaseState> phases, List<RuleResult> results) {
        return new EvaluationEvent(machineId, site, UUID.randomUUID().toString(), collectedAt, "1",
                MachineClass.CLIENT, results, phases, collectedAt.plusSeconds(1), collectedAt.plusSeconds(2), "6.1",
                List.of(Role.CLIENT), collectedAt.minus(Duration.ofDays(1)), 1L);
    }

    public static EvaluationEvent evaluation(String machineId, String site, Instant collectedAt,
            Map<Phase, PhaseState> phases) {
        return evaluation(machineId, site, collectedAt, phases, List.of());
    }

    /** A FAIL of SCHANNEL_TLS12_CLIENT with its remediation, as rules-service reports it. */
    public static RuleResult schannelFail() {
        return new RuleResult(RuleId.SCHANNEL_TLS12_CLIENT, RuleStatus.FAIL, Severity.ERROR, Phase.CLIENTS,
                "TLS 1.2 is off by default on OS 6.1", "001, 004",
                List.of(Action.setDword("HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"
                                + "\\Protocols\\TLS 1.2\\Client", "Enabled", 1),
                        Action.restart("SChannel reads its settings at boot")));
    }

    public static RuleResult result(RuleId rule, RuleStatus status, Phase phase) {
        return new RuleResult(rule, status, rule.severity(), phase, rule + " is " + status, null, List.of());
    }

    // --- PostgreSQL

    /** Runs one SQL statement on the service's database, as an operator with psql would. */
    public static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    // --- Kafka

    /** Sends evaluations, each to the partition its key gives, and waits for the broker's acknowledgement. */
    public static void send(EvaluationEvent... events) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (EvaluationEvent event : events) {
            records.add(record(event));
        }
        send(records);
    }

    /** Sends records, in this order, and waits for the broker's acknowledgement. */
    public static void send(List<ProducerRecord<String, String>> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<String, String> record : records) {
            sent.add(producer().send(record));
        }
        awaitAll(sent);
    }

    public static ProducerRecord<String, String> record(Integer partition, String key, String value) {
        RecordHeaders headers = new RecordHeaders();
        CloudEvents.binaryHeaders(UUID.randomUUID().toString(), Topics.EVALUATION_EVENT_TYPE,
                "urn:tlsrollout:rules-service", key, Instant.now(), headers::add);
        return new ProducerRecord<>(Topics.EVALUATIONS, partition, key, value, headers);
    }

    public static ProducerRecord<String, String> record(EvaluationEvent event) {
        return record(null, event.machineId(), json(event));
    }

    public static String json(EvaluationEvent event) {
        try {
            return Json.MAPPER.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until remediation-service has processed (acknowledged) every evaluation record sent so far: its consumer
     * group's committed offsets reach the ends of the topic's partitions. Batches are processed two at a time, so a
     * later record showing says nothing about an earlier one; the committed offsets do (commit strategy throttled
     * commits a partition only up to its first record not yet acknowledged).
     */
    public static void awaitConsumed() {
        awaitConsumed(PATIENCE);
    }

    /** {@link #awaitConsumed()}, waiting at most {@code patience}. */
    public static void awaitConsumed(Duration patience) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < KafkaTestResource.PARTITIONS; p++) {
                latest.put(new TopicPartition(Topics.EVALUATIONS, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            await().atMost(patience).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(CONSUMER_GROUP).partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                        || (committed.get(end.getKey()) != null
                                && committed.get(end.getKey()).offset() >= end.getValue()));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the end offsets of the evaluations could not be read", e.getCause());
        }
    }

    /** Every record of the evaluations' dead-letter topic, from its beginning to its current end. */
    public static List<ConsumerRecord<String, String>> deadLetters() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.dlq(Topics.EVALUATIONS)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the dead-letter topic could not be read to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            producer = new KafkaProducer<>(props);
            KafkaProducer<String, String> created = producer;
            Runtime.getRuntime().addShutdownHook(new Thread(created::close));
        }
        return producer;
    }

    private static void awaitAll(List<Future<RecordMetadata>> sent) {
        producer().flush();
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take a test record", e.getCause());
        }
    }

    // --- HTTP

    public static Response get(String path) {
        return RestAssured.given().auth().oauth2(VIEWER_TOKEN).get(path);
    }

    /** Waits until the service shows the machine with the given collectedAt. */
    public static void awaitMachine(String machineId, Instant collectedAt) {
        eventually().pollInterval(Duration.ofMillis(100)).until(() -> {
            Response response = get("/api/v1/machines/" + machineId);
            String shown = response.statusCode() == 200 ? response.path("lastSnapshotAt") : null;
            return shown != null && Instant.parse(shown).equals(collectedAt);
        });
    }

    /**
     * Waits until the service shows every one of the evaluations: each machine with its collectedAt, read from the
     * list of its site (a request a site and page, not one a machine).
     */
    public static void awaitMachines(EvaluationEvent... events) {
        Map<String, Map<String, Instant>> bySite = new TreeMap<>();
        for (EvaluationEvent event : events) {
            bySite.computeIfAbsent(event.siteCode(), s -> new HashMap<>()).put(event.machineId(), event.collectedAt());
        }
        bySite.forEach((site, expected) -> eventually().until(() -> shown(site).entrySet().containsAll(
                expected.entrySet())));
    }

    /** The machines of the site the service lists, and the lastSnapshotAt of each (those that reported). */
    private static Map<String, Instant> shown(String site) {
        Map<String, Instant> shown = new HashMap<>();
        for (int page = 0; ; page++) {
            JsonPath list = RestAssured.given().auth().oauth2(VIEWER_TOKEN).queryParam("site", site)
                    .queryParam("size", LIST_SIZE).queryParam("page", page).get("/api/v1/machines")
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = list.getList("items");
            for (Map<String, Object> item : items) {
                if (item.get("lastSnapshotAt") != null) {
                    shown.put((String) item.get("machineId"), Instant.parse((String) item.get("lastSnapshotAt")));
                }
            }
            if (items.size() < LIST_SIZE) {
                return shown;
            }
        }
    }
}
