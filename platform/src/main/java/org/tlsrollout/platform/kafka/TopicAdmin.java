package org.tlsrollout.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a local or test broker must have, with one replica each. */
public final class TopicAdmin {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private TopicAdmin() {
    }

    /** {@link #ensureTopics(String, int, Collection, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static List<String> ensureTopics(String bootstrapServers, int partitions, Collection<String> topics) {
        return ensureTopics(bootstrapServers, partitions, topics, DEFAULT_TIMEOUT);
    }

    /**
     * Creates each of {@code topics} that does not exist yet, with {@code partitions} partitions and replication
     * factor 1, and waits until the broker lists them all. Topics that exist already are left as they are.
     *
     * @return the topics this call created
     */
    public static List<String> ensureTopics(String bootstrapServers, int partitions, Collection<String> topics,
            Duration timeout) {
        return ensureTopics(bootstrapServers, partitions, topics, Map.of(), timeout);
    }

    /**
     * {@link #ensureTopics(String, int, Collection, Duration)} with a client that has further settings: those that
     * authenticate it ({@link KafkaCredentials#clientSettings}).
     */
    public static List<String> ensureTopics(String bootstrapServers, int partitions, Collection<String> topics,
            Map<String, Object> clientSettings, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> settings = new HashMap<>(clientSettings);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "tlsrollout-topic-admin");
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(settings)) {
            Set<String> existing = admin.listTopics().names().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            List<String> missing = topics.stream().filter(topic -> !existing.contains(topic)).distinct().toList();
            create(admin, missing, partitions, deadline);
            awaitListed(admin, topics, deadline);
            return missing;
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within "
                    + timeout.toSeconds() + " s while creating topics; check that the broker is running", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics " + topics + " on Kafka at " + bootstrapServers
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics on Kafka at " + bootstrapServers, e);
        }
    }

    private static void create(Admin admin, List<String> topics, int partitions, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<NewTopic> newTopics = topics.stream().map(topic -> new NewTopic(topic, partitions, (short) 1)).toList();
        try {
            admin.createTopics(newTopics).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static void awaitListed(Admin admin, Collection<String> topics, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (!admin.listTopics().names().get(remainingMillis(deadline), TimeUnit.MILLISECONDS).containsAll(topics)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics not listed in time");
            }
            Thread.sleep(50);
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
