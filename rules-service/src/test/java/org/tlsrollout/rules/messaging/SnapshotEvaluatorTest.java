package org.tlsrollout.rules.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.CloudEvents;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.TopicRecords;

/** Snapshots in, evaluations out, on a real broker: the (compact) shape of api.md, the DLQ, ce_type, and the metrics. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class SnapshotEvaluatorTest {

    /** A snapshot record as the collector publishes it: binary CloudEvents headers of the snapshot type. */
    static void publish(String machineId, String value) {
        publish(machineId, value, Topics.SNAPSHOT_EVENT_TYPE);
    }

    /** A record with the CloudEvents headers of this {@code ce_type}; null: no CloudEvents headers at all. */
    static void publish(String machineId, String value, String ceType) {
        try (KafkaProducer<String, String> producer = producer(0)) {
            producer.send(record(machineId, value, ceType));
        }
    }

    static ProducerRecord<String, String> record(String machineId, String value, String ceType) {
        RecordHeaders headers = new RecordHeaders();
        if (ceType != null) {
            CloudEvents.binaryHeaders(UUID.randomUUID().toString(), ceType, "urn:tlsrollout:collector-service",
                    machineId, Instant.now(), headers::add);
        }
        return new ProducerRecord<>(Topics.SNAPSHOTS, null, machineId, value, headers);
    }

    static KafkaProducer<String, String> producer(int lingerMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static String received(String example, String machineId) throws Exception {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(Examples.json(example));
        doc.put("machineId", machineId);
        doc.put("snapshotId", UUID.randomUUID().toString());
        doc.put("receivedAt", Instant.now().toString());
        return doc.toString();
    }

    static ConsumerRecord<String, String> awaitOn(String topic, String machineId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<ConsumerRecord<String, String>> found = TopicRecords.all(topic).stream()
                    .filter(r -> machineId.equals(r.key())).toList();
            if (!found.isEmpty()) {
                return found.get(found.size() - 1);
            }
            sleep();
        }
        throw new AssertionError("nothing for " + machineId + " on " + topic + " in 30 s");
    }

    @Test
    void aSnapshotBecomesAnEvaluationKeyedByMachineWithTheShapeOfApiMd() throws Exception {
        String machineId = "PC-" + UUID.randomUUID();
        String snapshot = received(Examples.WIN7_CLIENT_BEFORE, machineId);
        String snapshotId = Json.MAPPER.readTree(snapshot).get("snapshotId").asText();

        publish(machineId, snapshot);

        ConsumerRecord<String, String> record = awaitOn(Topics.EVALUATIONS, machineId);
        JsonNode evaluation = Json.MAPPER.readTree(record.value());
        assertThat(evaluation.get("snapshotId").asText()).isEqualTo(snapshotId);
        assertThat(evaluation.get("siteCode").asText()).isEqualTo("NYC");
        assertThat(evaluation.get("collectedAt").asText()).isEqualTo("2026-11-18T14:02:11Z");
        assertThat(evaluation.get("catalogVersion").asText()).isEqualTo("1");
        assertThat(evaluation.get("machineClass").asText()).isEqualTo("client");
        // api.md's compact form: results only for FAIL and UNKNOWN, the other rules named in passed and notApplicable
        assertThat(evaluation.get("results").get(0).fieldNames()).toIterable()
                .contains("ruleId", "status", "severity", "phase", "message");
        Set<String> failing = new java.util.HashSet<>();
        Set<String> named = new java.util.HashSet<>();
        evaluation.get("results").forEach(r -> {
            assertThat(r.get("status").asText()).isIn("FAIL", "UNKNOWN");
            if ("FAIL".equals(r.get("status").asText())) {
                failing.add(r.get("ruleId").asText());
            }
            named.add(r.get("ruleId").asText());
        });
        assertThat(failing).containsExactlyInAnyOrder("WINHTTP_KB3140245", "WINHTTP_DEFAULT_SECURE_PROTOCOLS",
                "SCHANNEL_TLS12_CLIENT", "DOTNET_VERSION", "DOTNET_STRONG_CRYPTO", "DOTNET_SYSTEM_DEFAULT_TLS",
                "TLS12_HANDSHAKE");
        assertThat(evaluation.get("passed")).isNotEmpty();
        assertThat(evaluation.get("notApplicable")).isNotEmpty();
        evaluation.get("passed").forEach(id -> assertThat(named.add(id.asText())).as("once: %s", id).isTrue());
        evaluation.get("notApplicable").forEach(id -> assertThat(named.add(id.asText())).as("once: %s", id).isTrue());
        assertThat(named).hasSize(RuleId.values().length);
        assertThat(evaluation.get("notApplicable")).extracting(JsonNode::asText).contains("SCHANNEL_TLS12_SERVER");
        assertThat(evaluation.get("receivedAt")).isNotNull();
        assertThat(evaluation.get("evaluatedAt")).isNotNull();
        assertThat(evaluation.get("osVersion").asText()).isEqualTo("6.1.7601");
        assertThat(evaluation.get("roles")).isNotEmpty();
        assertThat(evaluation.get("phases").get("CLIENTS").asText()).isEqualTo("NONCOMPLIANT");
        assertThat(evaluation.get("phases").get("VERIFY").asText()).isEqualTo("NONCOMPLIANT");
        assertThat(new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
                .isEqualTo(Topics.EVALUATION_EVENT_TYPE);
        assertThat(new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8)).isEqualTo(snapshotId);
    }

    @Test
    void theGroupCommitsASnapshotsOffsetOnceItsEvaluationIsOnKafka() throws Exception {
        String machineId = "PC-" + UUID.randomUUID();
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = producer(0)) {
            sent = producer.send(record(machineId, received(Examples.WIN10_CLIENT_DONE, machineId),
                    Topics.SNAPSHOT_EVENT_TYPE)).get();
        }
        awaitOn(Topics.EVALUATIONS, machineId);

        TopicPartition tp = new TopicPartition(sent.topic(), sent.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long committed = -1;
            while (committed <= sent.offset() && System.nanoTime() < deadline) {
                OffsetAndMetadata offset = admin.listConsumerGroupOffsets("rules-service").partitionsToOffsetAndMetadata()
                        .get().get(tp);
                committed = offset == null ? -1 : offset.offset();
                if (committed <= sent.offset()) {
                    sleep();
                }
            }
            assertThat(committed).as("the group's offset of %s, past the snapshot at %d", tp, sent.offset())
                    .isGreaterThan(sent.offset());
        }
    }

    @Test
    void aRecordThatIsNotASnapshotGoesToTheDeadLetterTopicAndTheNextOnesAreStillEvaluated() throws Exception {
        String broken = "BROKEN-" + UUID.randomUUID();
        String healthy = "PC-" + UUID.randomUUID();

        publish(broken, "{\"machineId\": 42, this is not json");
        publish(healthy, received(Examples.WIN10_CLIENT_DONE, healthy));

        ConsumerRecord<String, String> dead = awaitOn(Topics.dlq(Topics.SNAPSHOTS), broken);
        assertThat(dead.value()).startsWith("{\"machineId\": 42");
        assertThat(dead.headers().lastHeader("dead-letter-reason")).isNotNull();
        JsonNode evaluation = Json.MAPPER.readTree(awaitOn(Topics.EVALUATIONS, healthy).value());
        assertThat(evaluation.get("phases").get("CLIENTS").asText()).isEqualTo("COMPLIANT");
        assertThat(TopicRecords.all(Topics.EVALUATIONS).stream().map(ConsumerRecord::key).collect(Collectors.toSet()))
                .doesNotContain(broken);
        assertThat(given().when().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("tlsrollout_dead_letters_total\\{[^}]*topic=\"tlsrollout.snapshots.v1.dlq\"[^}]*} [1-9]");
    }

    @Test
    void aRecordWithoutTheSnapshotCeTypeIsDeadLetteredUnreadAndCounted() throws Exception {
        String headerless = "NO-CE-" + UUID.randomUUID();
        String wrongType = "WRONG-CE-" + UUID.randomUUID();
        String healthy = "PC-" + UUID.randomUUID();
        String before = given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        // Valid snapshots as values: only the ce_type header is wrong.
        publish(headerless, received(Examples.WIN10_CLIENT_DONE, headerless), null);
        publish(wrongType, received(Examples.WIN10_CLIENT_DONE, wrongType), Topics.EVALUATION_EVENT_TYPE);
        publish(healthy, received(Examples.WIN10_CLIENT_DONE, healthy));

        ConsumerRecord<String, String> noType = awaitOn(Topics.dlq(Topics.SNAPSHOTS), headerless);
        assertThat(header(noType, "dead-letter-reason")).contains("no ce_type header", Topics.SNAPSHOT_EVENT_TYPE);
        ConsumerRecord<String, String> otherType = awaitOn(Topics.dlq(Topics.SNAPSHOTS), wrongType);
        assertThat(header(otherType, "dead-letter-reason"))
                .contains("ce_type '" + Topics.EVALUATION_EVENT_TYPE + "' is not " + Topics.SNAPSHOT_EVENT_TYPE);
        assertThat(header(otherType, "ce_type")).isEqualTo(Topics.EVALUATION_EVENT_TYPE);
        assertThat(Json.MAPPER.readTree(otherType.value()).get("machineId").asText()).isEqualTo(wrongType);
        awaitOn(Topics.EVALUATIONS, healthy);
        assertThat(TopicRecords.all(Topics.EVALUATIONS).stream().map(ConsumerRecord::key).collect(Collectors.toSet()))
                .doesNotContain(headerless, wrongType);
        // Counted once Kafka acknowledged the dead letter, just after it is readable.
        double expected = deadLetters(before) + 2;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double counted = 0;
        while (System.nanoTime() < deadline && counted < expected) {
            counted = deadLetters(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
            sleep();
        }
        assertThat(counted).isGreaterThanOrEqualTo(expected);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static double deadLetters(String metrics) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^tlsrollout_dead_letters_total\\{[^}]*topic=\"tlsrollout.snapshots.v1.dlq\"[^}]*} (\\S+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void eachMachinesEvaluationsArePublishedInTheOrderOfItsSnapshotsWhileThePollIsSpreadOverThreads() throws Exception {
        String prefix = "ORDER-" + UUID.randomUUID() + "-";
        int machines = 5;
        int each = 40;
        Instant first = Instant.parse("2026-11-18T14:00:00Z");
        try (KafkaProducer<String, String> producer = producer(50)) { // linger: so that the records arrive in a few polls
            for (int i = 0; i < each; i++) {
                for (int m = 0; m < machines; m++) {
                    ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(received(Examples.WIN10_CLIENT_DONE, prefix + m));
                    doc.put("collectedAt", first.plusSeconds(i).toString());
                    producer.send(record(prefix + m, doc.toString(), Topics.SNAPSHOT_EVENT_TYPE));
                }
            }
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<ConsumerRecord<String, String>> evaluations = List.of();
        while (System.nanoTime() < deadline && evaluations.size() < machines * each) {
            evaluations = TopicRecords.all(Topics.EVALUATIONS).stream().filter(r -> r.key().startsWith(prefix)).toList();
            sleep();
        }
        assertThat(evaluations).hasSize(machines * each);
        for (int m = 0; m < machines; m++) {
            String machineId = prefix + m;
            List<Instant> collected = new java.util.ArrayList<>();
            for (ConsumerRecord<String, String> r : evaluations) {
                if (r.key().equals(machineId)) {
                    collected.add(Instant.parse(Json.MAPPER.readTree(r.value()).get("collectedAt").asText()));
                }
            }
            assertThat(collected).as(machineId).hasSize(each).isSorted();
        }
    }

    @Test
    void exportsTheMetersOfApiMd() throws Exception {
        String machineId = "PC-" + UUID.randomUUID();
        publish(machineId, received(Examples.SERVER2012R2_PRIMARY_SITE, machineId));
        awaitOn(Topics.EVALUATIONS, machineId);

        // The counters move when Kafka acknowledges the evaluation, just after it is readable.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            if (metrics.matches("(?s).*tlsrollout_rule_results_total\\{[^}]*rule=\"SCHANNEL_LEGACY_DISABLED\""
                    + "[^}]*status=\"FAIL\"[^}]*} [1-9].*")) {
                break;
            }
            sleep();
        }
        assertThat(metrics)
                .containsPattern("(?m)^tlsrollout_evaluations_total(\\{[^}]*})? [1-9]")
                .containsPattern("tlsrollout_rule_results_total\\{[^}]*rule=\"SCHANNEL_LEGACY_DISABLED\"[^}]*status=\"FAIL\"[^}]*} [1-9]")
                .containsPattern("tlsrollout_rule_results_total\\{[^}]*rule=\"FIPS_POLICY\"[^}]*status=\"NOT_APPLICABLE\"")
                .contains("# TYPE tlsrollout_evaluation_lag_seconds histogram")
                .containsPattern("tlsrollout_evaluation_lag_seconds_count(\\{[^}]*})? [1-9]");
    }

    @Test
    void theConsumerIsInTheHealthChecksAndItsKafkaMetricsAreExported() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'snapshots consumer' }.status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'snapshots consumer' }.data.state", org.hamcrest.Matchers.equalTo("POLLING"));
        given().when().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'snapshots consumer' }.status", org.hamcrest.Matchers.equalTo("UP"));
        assertThat(given().when().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("kafka_consumer_fetch_manager_records_consumed_total\\{[^}]*client_id=\"consumer-rules-service-");
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
