package org.tlsrollout.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.kafka.RecordRoundTrip;
import org.tlsrollout.platform.kafka.TopicAdmin;

class KafkaTestResourceTest {

    @Test
    void startsOneClusterWithEveryTopicAndPassesItsAddressToQuarkus() throws Exception {
        Map<String, String> config = new KafkaTestResource().start();
        String bootstrapServers = KafkaTestResource.bootstrapServers();

        assertThat(config).containsOnly(
                Map.entry("kafka.bootstrap.servers", bootstrapServers),
                Map.entry("mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrapServers));
        assertThat(new KafkaTestResource().start()).as("a second test class reuses the cluster").isEqualTo(config);
        assertThat(RecordRoundTrip.partitionCounts(bootstrapServers, Map.of(), Topics.ALL)).isEqualTo(
                Topics.ALL.stream().collect(Collectors.toMap(t -> t, t -> KafkaTestResource.PARTITIONS)));
        assertThat(TopicAdmin.ensureTopics(bootstrapServers, KafkaTestResource.PARTITIONS, Topics.ALL))
                .as("topics created by a second call").isEmpty();
    }

    @Test
    void roundTripsARecord() throws Exception {
        String bootstrapServers = KafkaTestResource.bootstrapServers();
        String value = "{\"machineId\":\"m-2\"}";

        RecordRoundTrip.send(bootstrapServers, Map.of(), Topics.EVALUATIONS, "m-2", value);

        assertThat(RecordRoundTrip.readUntil(bootstrapServers, Map.of(), Topics.EVALUATIONS, value)).containsExactly(value);
    }
}
