package org.tlsrollout.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tlsrollout.platform.kafka.KafkaCredentials;
import org.tlsrollout.platform.kafka.KafkaPrincipals;

/**
 * B1's baseline, run as its own process with the services' JVM options: a raw Kafka consumer to producer
 * pass-through of the snapshot records, with the rules-service's consumer and producer settings (read from its
 * application.properties) and the same guarantee: a poll's offsets are committed only once every record it
 * forwarded was acknowledged. It does no work on a record beyond copying its key, value and headers. It logs in as
 * the broker's super user (the topic it writes and its group are its own; the ACLs are checked all the same).
 * <p>
 * {@code PassThrough <bootstrap> <in topic> <out topic> <group> <records> <rules-service application.properties>
 * <the broker's credentials file>}
 */
public final class PassThrough {
    private PassThrough() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String in = args[1];
        String out = args[2];
        String group = args[3];
        long records = Long.parseLong(args[4]);
        Path properties = Path.of(args[5]);
        Map<String, Object> login = KafkaCredentials.loadOrCreate(Path.of(args[6])).clientSettings(KafkaPrincipals.ADMIN);
        Properties service = new Properties();
        try (var reader = Files.newBufferedReader(properties)) {
            service.load(reader);
        }
        Map<String, Object> consumerConfig = settings(service, "snapshots.consumer.", ConsumerConfig.configNames());
        consumerConfig.putAll(login);
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // as the service's: it commits itself
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, Object> producerConfig = settings(service, "mp.messaging.outgoing.evaluations.", ProducerConfig.configNames());
        producerConfig.putAll(login);
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        System.out.println("pass-through consumer " + withoutLogin(consumerConfig));
        System.out.println("pass-through producer " + withoutLogin(producerConfig));
        long forwarded = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig);
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            consumer.subscribe(List.of(in));
            // Pipelined like the service: polling goes on while earlier polls' records are in flight; a poll's
            // offsets are committed once all of its records, and all of every earlier poll's, are acknowledged.
            java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
            while (forwarded < records || !pending.isEmpty()) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(forwarded < records ? 100 : 0));
                if (!batch.isEmpty()) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    List<Future<RecordMetadata>> sent = new ArrayList<>(batch.count());
                    for (ConsumerRecord<String, String> r : batch) {
                        sent.add(producer.send(new ProducerRecord<>(out, null, r.key(), r.value(), r.headers())));
                        offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    }
                    pending.add(new Pending(sent, offsets));
                    forwarded += batch.count();
                }
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                while (!pending.isEmpty() && (pending.peek().acknowledged() || forwarded >= records)) {
                    Pending p = pending.poll();
                    for (Future<RecordMetadata> f : p.sent()) {
                        f.get(); // throws if a record was not acknowledged: nothing after it is committed
                    }
                    done.putAll(p.offsets());
                }
                if (!done.isEmpty()) {
                    consumer.commitAsync(done, null);
                }
            }
            consumer.commitSync();
        }
        System.out.println("pass-through forwarded " + forwarded + " records");
    }

    private record Pending(List<Future<RecordMetadata>> sent, Map<TopicPartition, OffsetAndMetadata> offsets) {
        boolean acknowledged() {
            return sent.get(sent.size() - 1).isDone() && sent.stream().allMatch(Future::isDone);
        }
    }

    /** The settings as they may be printed: the JAAS line, which holds the password, left out. */
    private static Map<String, Object> withoutLogin(Map<String, Object> config) {
        Map<String, Object> shown = new java.util.TreeMap<>(config);
        shown.remove("sasl.jaas.config");
        return shown;
    }

    /** The Kafka settings among a channel's properties (connector attributes such as topic are left out). */
    static Map<String, Object> settings(Properties service, String prefix, java.util.Set<String> known) {
        Map<String, Object> config = new HashMap<>();
        for (String name : service.stringPropertyNames()) {
            if (name.startsWith(prefix) && known.contains(name.substring(prefix.length()))) {
                config.put(name.substring(prefix.length()), service.getProperty(name).trim());
            }
        }
        return config;
    }
}
