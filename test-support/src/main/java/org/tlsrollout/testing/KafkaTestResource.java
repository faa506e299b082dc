package org.tlsrollout.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.kafka.SingleNodeConfig;
import org.tlsrollout.platform.kafka.TopicAdmin;

/**
 * Real Kafka for tests, without Docker: one in-process KRaft node (Kafka's own {@link KafkaClusterTestKit}) per test
 * JVM, shared by every test class that uses this resource and stopped when the JVM exits. It has every topic of
 * {@link Topics#ALL} with {@value #PARTITIONS} partitions and, like the local broker, creates no topic on its own.
 * Use it with {@code @QuarkusTestResource(KafkaTestResource.class)}, or call {@link #bootstrapServers()} from a
 * plain test.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    public static final int PARTITIONS = 3;

    /**
     * Holds the address once the cluster runs: a JVM-wide mark, so that a copy of this class in another class loader
     * (Quarkus may load test resources anew for each application it starts) reuses the cluster.
     */
    private static final String BOOTSTRAP_SERVERS_PROPERTY = "tlsrollout.test.kafka.bootstrap-servers";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTestResource.class);

    /** The bootstrap address of the shared cluster, starting it on first use. */
    public static synchronized String bootstrapServers() {
        String bootstrapServers = System.getProperty(BOOTSTRAP_SERVERS_PROPERTY);
        if (bootstrapServers == null) {
            bootstrapServers = startWithin(STARTUP_TIMEOUT).bootstrapServers();
            System.setProperty(BOOTSTRAP_SERVERS_PROPERTY, bootstrapServers);
        }
        return bootstrapServers;
    }

    @Override
    public Map<String, String> start() {
        String bootstrapServers = bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrapServers);
    }

    /** Leaves the cluster running for the next test class; a JVM shutdown hook stops it. */
    @Override
    public void stop() {
    }

    private static KafkaClusterTestKit startWithin(Duration timeout) {
        FutureTask<KafkaClusterTestKit> task = new FutureTask<>(KafkaTestResource::startCluster);
        Thread starter = new Thread(task, "kafka-test-cluster-start");
        starter.setDaemon(true);
        starter.start();
        try {
            return task.get(timeout.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the in-process Kafka cluster did not start within "
                    + timeout.toSeconds() + " s; see the Kafka log lines above", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the in-process Kafka cluster failed to start: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the in-process Kafka cluster", e);
        }
    }

    private static KafkaClusterTestKit startCluster() throws Exception {
        long started = System.nanoTime();
        // The broker shares the test JVM: a fatal fault in it (during the shutdown hook, say) must not end the JVM
        // with Kafka's exit or halt, which makes Surefire fail a run whose tests all passed. Kafka's own test
        // harnesses replace these procedures the same way; a broker that fails during a test still fails that test.
        org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) -> System.err.println(
                "in-process Kafka asked to exit(" + code + "): " + message + " (ignored in the test JVM)"));
        org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) -> System.err.println(
                "in-process Kafka asked to halt(" + code + "): " + message + " (ignored in the test JVM)"));
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes());
        SingleNodeConfig.singleNodeSettings().forEach(builder::setConfigProp);
        builder.setConfigProp("unstable.api.versions.enable", "false");
        builder.setConfigProp("unstable.feature.versions.enable", "false");
        KafkaClusterTestKit kit = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(kit), "kafka-test-cluster-shutdown"));
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        TopicAdmin.ensureTopics(kit.bootstrapServers(), PARTITIONS, Topics.ALL);
        LOG.info("in-process Kafka ready on {} in {} ms", kit.bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return kit;
    }

    /** One combined broker and controller, on the features of the latest production release, as a real broker. */
    private static TestKitNodes nodes() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> featureLevels = Feature.PRODUCTION_FEATURES.stream()
                .collect(Collectors.toMap(Feature::featureName, feature -> feature.defaultLevel(version)));
        return new TestKitNodes.Builder(BootstrapMetadata.fromVersions(version, featureLevels, "tlsrollout-test"))
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
    }

    private static void close(KafkaClusterTestKit kit) {
        try {
            kit.close();
        } catch (Exception e) {
            System.err.println("could not stop the in-process Kafka cluster cleanly: " + e);
        }
    }
}
