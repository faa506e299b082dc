package org.tlsrollout.rules.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshots' consumer settings: Quarkus' kafka.* map, snapshots.consumer.* over it, nothing Kafka does not know. */
class SnapshotConsumerSettingsTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 100)).build();
    }

    @Test
    void theConsumersOwnSettingsGoOverKafkasAndItNeverCommitsOnItsOwn() {
        Map<String, Object> settings = SnapshotConsumer.settings(
                Map.of("bootstrap.servers", "broker:9092", "max.poll.records", "100", "enable.auto.commit", "true"),
                config(Map.of("snapshots.consumer.group.id", "rules-service", "snapshots.consumer.max.poll.records", " 500 ",
                        "other.max.poll.records", "7")));

        assertThat(settings).containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("group.id", "rules-service")
                .containsEntry("max.poll.records", "500")
                .containsEntry("enable.auto.commit", "false");
    }

    @Test
    void aNameKafkaDoesNotKnowIsRefusedByName() {
        assertThatThrownBy(() -> SnapshotConsumer.settings(Map.of(),
                config(Map.of("snapshots.consumer.group.id", "g", "snapshots.consumer.max.pol.records", "500"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshots.consumer.max.pol.records");
    }

    @Test
    void theGroupIsRequired() {
        assertThatThrownBy(() -> SnapshotConsumer.settings(Map.of("bootstrap.servers", "broker:9092"), config(Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshots.consumer.group.id");
    }
}
