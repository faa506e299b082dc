package org.tlsrollout.platform.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Broker settings of a one-node Kafka cluster, shared by {@link LocalKafkaBroker} and the test cluster. */
public final class SingleNodeConfig {

    static final int NODE_ID = 1;
    static final String HOST = "127.0.0.1";

    private SingleNodeConfig() {
    }

    /**
     * What a cluster of one node needs: every internal topic with one replica and a minimum ISR of one, no topic
     * created behind the application's back, and consumer groups that start without the rebalance delay.
     */
    public static Map<String, String> singleNodeSettings() {
        return Map.of(
                "auto.create.topics.enable", "false",
                "default.replication.factor", "1",
                "min.insync.replicas", "1",
                "offsets.topic.replication.factor", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                "group.initial.rebalance.delay.ms", "0");
    }

    /** The whole configuration of the combined broker and controller of {@link LocalKafkaBroker}. */
    static Properties combinedServer(BrokerOptions options, Path logDir) {
        Properties props = new Properties();
        props.putAll(singleNodeSettings());
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + options.controllerPort());
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + options.port() + ",CONTROLLER://" + HOST + ":"
                + options.controllerPort());
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + options.port());
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", String.valueOf(options.partitions()));
        props.put("server.max.startup.time.ms", "120000");
        return props;
    }
}
