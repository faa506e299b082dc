package org.tlsrollout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Topics;
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
        assertThat(partitionCounts(bootstrapServers)).isEqualTo(
                Topics.ALL.stream().collect(Collectors.toMap(t -> t, t -> KafkaTestResource.PARTITIONS)));
        assertThat(TopicAdmin.ensureTopics(bootstrapServers, KafkaTestResource.PARTITIONS, Topics.ALL))
                .as("topics created by a second call").isEmpty();
    }

    @Test
    void topicRecordsReadsBackWhatWasSent() throws Exception {
        String value = "{\"machineId\":\"m-2\"}";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.EVALUATIONS, "m-2", value)).get(30, TimeUnit.SECONDS);
        }

        assertThat(TopicRecords.all(Topics.EVALUATIONS)).extracting(ConsumerRecord::key, ConsumerRecord::value)
                .contains(org.assertj.core.groups.Tuple.tuple("m-2", value));
    }

    private static Map<String, Integer> partitionCounts(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<String, Integer> counts = new TreeMap<>();
            admin.describeTopics(Topics.ALL).allTopicNames().get(30, TimeUnit.SECONDS)
                    .forEach((name, description) -> counts.put(name, description.partitions().size()));
            return counts;
        }
    }
}
