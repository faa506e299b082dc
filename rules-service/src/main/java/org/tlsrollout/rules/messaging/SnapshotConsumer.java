package org.tlsrollout.rules.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.tlsrollout.contracts.Topics;

/**
 * The snapshots' Kafka consumer: a plain {@link KafkaConsumer} polled by a {@link PollLoop} on a thread of its own,
 * each poll handed whole to {@link SnapshotEvaluator}, its offsets committed once all of its evaluations are on Kafka.
 * Its settings are Quarkus' {@code kafka.*} (the {@code default-kafka-broker} map) with {@code snapshots.consumer.*}
 * over them, each a {@link ConsumerConfig} name. A plain consumer rather than a SmallRye channel: a batch channel wraps
 * each record in a message of its own, adds a header to it and takes the poll through the event loop to a worker,
 * which cost as much CPU as the polls themselves (docs/decisions.md, "Rules are plain Java").
 * <p>
 * Live unless the loop failed (a lane or polling did: only a restart resumes the snapshots); ready once it polled,
 * whether or not the group has assigned it partitions yet (after a kill the group waits for the dead member's session
 * to time out first).
 */
@ApplicationScoped
public class SnapshotConsumer {
    /** The consumer's own settings: {@code snapshots.consumer.<a Kafka consumer setting>}. */
    static final String PREFIX = "snapshots.consumer.";
    static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    /** How long a revocation, or a shutdown, waits for the polls under way to be committed. */
    static final Duration REVOKE_WAIT = Duration.ofSeconds(30);

    private final SnapshotEvaluator evaluator;
    private final Map<String, Object> settings;
    private final Event<Consumer<?, ?>> created;
    private volatile PollLoop loop;
    private Thread thread;

    public SnapshotConsumer(SnapshotEvaluator evaluator, @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Config config, Event<Consumer<?, ?>> created) {
        this.evaluator = evaluator;
        this.settings = settings(kafka, config);
        this.created = created;
    }

    /** Quarkus' {@code kafka.*} with {@code snapshots.consumer.*} over them; a name Kafka does not know is refused. */
    static Map<String, Object> settings(Map<String, Object> kafka, Config config) {
        Map<String, Object> settings = new HashMap<>(kafka);
        Set<String> known = ConsumerConfig.configNames();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                String key = name.substring(PREFIX.length());
                if (!known.contains(key)) {
                    throw new IllegalArgumentException(name + ": '" + key + "' is not a Kafka consumer setting");
                }
                config.getOptionalValue(name, String.class).ifPresent(value -> settings.put(key, value.trim()));
            }
        }
        if (!settings.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            throw new IllegalArgumentException(PREFIX + ConsumerConfig.GROUP_ID_CONFIG + " is required");
        }
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // the loop commits, poll by poll
        return settings;
    }

    void start(@Observes StartupEvent event) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer());
        created.fire(consumer); // Quarkus' Micrometer binds the client's metrics, as it does a channel's consumer's
        loop = new PollLoop(consumer, Topics.SNAPSHOTS, evaluator::evaluate, POLL_TIMEOUT, REVOKE_WAIT);
        thread = new Thread(() -> {
            try (consumer) {
                loop.run();
            }
        }, "rules-snapshots-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Before the lanes stop (they stop when the beans are destroyed): the polls under way are committed first. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (loop != null) {
            loop.stop();
            thread.join(REVOKE_WAIT.plusSeconds(10).toMillis());
        }
    }

    @Produces
    @Liveness
    HealthCheck live() {
        return () -> health(state -> state != PollLoop.State.FAILED);
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> health(state -> state == PollLoop.State.POLLING);
    }

    private HealthCheckResponse health(Predicate<PollLoop.State> up) {
        PollLoop current = loop;
        PollLoop.State state = current == null ? PollLoop.State.STARTING : current.state();
        return HealthCheckResponse.named("snapshots consumer").status(up.test(state)).withData("state", state.name())
                .build();
    }
}
