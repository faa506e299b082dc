package org.tlsrollout.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.io.PrivateFiles;
import org.tlsrollout.platform.net.FreePorts;

/**
 * api.md, "Kafka topics": the broker {@code ./tlsrollout up} runs ({@link LocalKafkaBroker} as its own process)
 * authenticates every client and lets each service's principal read and write only its own topics. Real clients,
 * nothing mocked: a client without credentials, or with a wrong password, learns nothing and moves nothing.
 */
class KafkaAuthorizationTest {
    private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path tempDir;
    static BrokerProcess broker;
    static String bootstrapServers;
    static KafkaCredentials credentials;
    static int controllerPort;

    @BeforeAll
    static void start() throws Exception {
        int[] ports = FreePorts.pick(2);
        controllerPort = ports[1];
        broker = BrokerProcess.start(tempDir.resolve("broker.log"), "--port", String.valueOf(ports[0]),
                "--controller-port", String.valueOf(controllerPort), "--data-dir", tempDir.resolve("kafka").toString(),
                "--partitions", "2");
        bootstrapServers = broker.awaitReady(Duration.ofSeconds(90));
        credentials = KafkaCredentials.loadOrCreate(BrokerOptions.defaultCredentials(tempDir.resolve("kafka")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.stop(Duration.ofSeconds(30));
            broker.close();
        }
    }

    @Test
    void aClientWithoutCredentialsGetsNoMetadataAndCanNeitherProduceNorConsume() throws Exception {
        Map<String, Object> plaintext = refusedQuickly(Map.of());

        // Each refusal is a client timing out: the four are waited out side by side, not one after another.
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            Future<Throwable> listTopics = clients.submit(() -> {
                try (Admin admin = Admin.create(with(plaintext, AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers))) {
                    return catchThrowable(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
                }
            });
            Future<Throwable> send = clients.submit(() -> catchThrowable(() -> RecordRoundTrip.send(bootstrapServers,
                    plaintext, Topics.SNAPSHOTS, "m", "{}")));
            Future<Throwable> partitionsFor = clients.submit(() -> {
                try (KafkaConsumer<String, String> consumer = consumer(plaintext, null)) {
                    return catchThrowable(() -> consumer.partitionsFor(Topics.SNAPSHOTS, REFUSAL_TIMEOUT));
                }
            });
            Future<Throwable> describeAcls = clients.submit(() -> {
                try (Admin admin = Admin.create(with(plaintext, AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG,
                        "127.0.0.1:" + controllerPort))) {
                    return catchThrowable(() -> admin.describeAcls(AclBindingFilter.ANY).values()
                            .get(30, TimeUnit.SECONDS));
                }
            });

            assertThat(causes(listTopics.get(60, TimeUnit.SECONDS))).as("kcat -L without credentials")
                    .anyMatch(TimeoutException.class::isInstance);
            assertThat(causes(send.get(60, TimeUnit.SECONDS))).anyMatch(TimeoutException.class::isInstance);
            assertThat(causes(partitionsFor.get(60, TimeUnit.SECONDS))).anyMatch(TimeoutException.class::isInstance);
            assertThat(snapshotRecordsAsAdmin()).as("nothing reached the topic").noneMatch("{}"::equals);
            assertThat(causes(describeAcls.get(60, TimeUnit.SECONDS)))
                    .as("the controller's listener (KIP-919) without credentials")
                    .anyMatch(TimeoutException.class::isInstance);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> wrong = new HashMap<>(credentials.clientSettings(KafkaPrincipals.COLLECTOR));
        wrong.put("sasl.jaas.config", KafkaCredentials.scramJaas(KafkaPrincipals.COLLECTOR, "not-the-password-at-all"));

        assertThat(causes(catchThrowable(() -> RecordRoundTrip.send(bootstrapServers, refusedQuickly(wrong),
                Topics.SNAPSHOTS, "m", "{\"wrong\":true}")))).anyMatch(SaslAuthenticationException.class::isInstance);
        assertThat(causes(catchThrowable(() -> RecordRoundTrip.send(bootstrapServers, refusedQuickly(Map.of(
                "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config",
                KafkaCredentials.scramJaas("nobody", "not-a-password-either"))), Topics.SNAPSHOTS, "m",
                "{\"wrong\":true}")))).anyMatch(SaslAuthenticationException.class::isInstance);
    }

    @Test
    void theCollectorWritesSnapshotsButNotEvaluationsAndReadsNothing() throws Exception {
        Map<String, Object> collector = credentials.clientSettings(KafkaPrincipals.COLLECTOR);

        RecordRoundTrip.send(bootstrapServers, collector, Topics.SNAPSHOTS, "PC-1", "{\"by\":\"collector\"}");

        assertThat(snapshotRecordsAsAdmin()).contains("{\"by\":\"collector\"}");
        assertRefusedToWrite(collector, Topics.EVALUATIONS);
        assertRefusedToWrite(collector, Topics.JOB_EVENTS);
        assertRefusedToRead(collector, null, Topics.SNAPSHOTS);
    }

    @Test
    void rulesReadsSnapshotsInItsGroupAndWritesEvaluationsAndTheSnapshotsDeadLetters() throws Exception {
        Map<String, Object> rules = credentials.clientSettings(KafkaPrincipals.RULES);
        RecordRoundTrip.send(bootstrapServers, credentials.clientSettings(KafkaPrincipals.COLLECTOR), Topics.SNAPSHOTS,
                "PC-2", "{\"for\":\"rules\"}");

        assertThat(RecordRoundTrip.readUntil(bootstrapServers, with(rules, ConsumerConfig.GROUP_ID_CONFIG,
                KafkaPrincipals.RULES_GROUP), Topics.SNAPSHOTS, "{\"for\":\"rules\"}")).contains("{\"for\":\"rules\"}");
        RecordRoundTrip.send(bootstrapServers, rules, Topics.EVALUATIONS, "PC-2", "{\"by\":\"rules\"}");
        RecordRoundTrip.send(bootstrapServers, rules, Topics.dlq(Topics.SNAPSHOTS), "PC-2", "not a snapshot");

        assertRefusedToWrite(rules, Topics.SNAPSHOTS);
        assertRefusedToWrite(rules, Topics.JOB_EVENTS);
        assertRefusedToRead(rules, null, Topics.EVALUATIONS);
        try (KafkaConsumer<String, String> consumer = consumer(rules, "another-group")) {
            consumer.subscribe(List.of(Topics.SNAPSHOTS));
            assertThat(causes(catchThrowable(() -> consumer.poll(Duration.ofSeconds(10)))))
                    .as("a consumer group other than its own").anyMatch(GroupAuthorizationException.class::isInstance);
        }
    }

    @Test
    void remediationReadsEvaluationsInItsGroupWritesAndReadsJobEventsAndWritesTheEvaluationsDeadLetters() throws Exception {
        Map<String, Object> remediation = credentials.clientSettings(KafkaPrincipals.REMEDIATION);
        RecordRoundTrip.send(bootstrapServers, credentials.clientSettings(KafkaPrincipals.RULES), Topics.EVALUATIONS,
                "PC-3", "{\"for\":\"remediation\"}");

        assertThat(RecordRoundTrip.readUntil(bootstrapServers, with(remediation, ConsumerConfig.GROUP_ID_CONFIG,
                KafkaPrincipals.REMEDIATION_GROUP), Topics.EVALUATIONS, "{\"for\":\"remediation\"}"))
                .contains("{\"for\":\"remediation\"}");
        RecordRoundTrip.send(bootstrapServers, remediation, Topics.JOB_EVENTS, "PC-3", "{\"by\":\"remediation\"}");
        assertThat(RecordRoundTrip.readUntil(bootstrapServers, remediation, Topics.JOB_EVENTS, "{\"by\":\"remediation\"}"))
                .as("its job events, read without a group (the job marks' feed)").contains("{\"by\":\"remediation\"}");
        RecordRoundTrip.send(bootstrapServers, remediation, Topics.dlq(Topics.EVALUATIONS), "PC-3", "not an evaluation");

        assertRefusedToWrite(remediation, Topics.SNAPSHOTS);
        assertRefusedToWrite(remediation, Topics.EVALUATIONS);
        assertRefusedToRead(remediation, null, Topics.SNAPSHOTS);
    }

    @Test
    void theBrokerHasExactlyTheAclsOfKafkaPrincipals() throws Exception {
        try (Admin admin = Admin.create(with(credentials.clientSettings(KafkaPrincipals.ADMIN),
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                    .containsExactlyInAnyOrderElementsOf(KafkaPrincipals.acls());
        }
    }

    @Test
    void thePasswordsAreReadableByTheirOwnerOnly() {
        Path dataDir = tempDir.resolve("kafka");
        assertThat(PrivateFiles.isOwnerOnly(BrokerOptions.defaultCredentials(dataDir))).isTrue();
        assertThat(PrivateFiles.isOwnerOnly(dataDir.resolve("server.properties"))).as("it holds the admin's password")
                .isTrue();
        assertThat(PrivateFiles.isOwnerOnly(dataDir)).isTrue();
        Set<String> passwords = new HashSet<>(credentials.passwords().values());
        assertThat(passwords).as("one password per principal").hasSize(KafkaPrincipals.ALL.size());
        assertThat(broker.output()).as("the broker's output").doesNotContain(passwords);
    }

    private static void assertRefusedToWrite(Map<String, Object> settings, String topic) {
        assertThat(causes(catchThrowable(() -> RecordRoundTrip.send(bootstrapServers, settings, topic, "PC-x",
                "{\"refused\":true}")))).as("write to " + topic).anyMatch(TopicAuthorizationException.class::isInstance);
    }

    private static void assertRefusedToRead(Map<String, Object> settings, String group, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(settings, group)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            assertThat(causes(catchThrowable(() -> {
                for (int i = 0; i < 50; i++) {
                    consumer.poll(Duration.ofMillis(200));
                }
            }))).as("read " + topic).anyMatch(TopicAuthorizationException.class::isInstance);
        }
    }

    private static List<String> snapshotRecordsAsAdmin() {
        return RecordRoundTrip.readAll(bootstrapServers, credentials.clientSettings(KafkaPrincipals.ADMIN),
                Topics.SNAPSHOTS);
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> settings, String group) {
        Map<String, Object> config = with(settings, ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** Settings that give up after a few seconds: a refused client would otherwise wait out the defaults. */
    private static Map<String, Object> refusedQuickly(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) REFUSAL_TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REFUSAL_TIMEOUT.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REFUSAL_TIMEOUT.toMillis());
        return config;
    }

    private static Map<String, Object> with(Map<String, Object> settings, String key, Object value) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(key, value);
        return config;
    }

    /** The throwable and its causes. */
    private static List<Throwable> causes(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
