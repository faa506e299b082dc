package org.tlsrollout.platform.kafka;

import java.nio.file.Path;
import java.util.Locale;
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

    /** The listener clients, and the broker itself, connect to. */
    static final String CLIENT_LISTENER = "CLIENT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The mechanism of the controller listener: SCRAM credentials live in the metadata the controller serves. */
    static final String CONTROLLER_MECHANISM = "PLAIN";

    /**
     * The whole configuration of the combined broker and controller of {@link LocalKafkaBroker}. Both listeners
     * authenticate every connection (SASL_PLAINTEXT, on 127.0.0.1 only): the client listener with SCRAM-SHA-512
     * against the credentials in the metadata, the controller listener with PLAIN for {@value KafkaPrincipals#ADMIN}
     * alone (the broker's own connections to its controller; a client could otherwise use it, KIP-919, to change
     * ACLs). Every request is authorized by {@code StandardAuthorizer} against {@link KafkaPrincipals#acls()},
     * nothing is allowed without an ACL, and {@value KafkaPrincipals#ADMIN} is the super user. There is no
     * PLAINTEXT listener, so no anonymous principal.
     */
    static Properties combinedServer(BrokerOptions options, Path logDir, KafkaCredentials credentials) {
        String admin = KafkaPrincipals.ADMIN;
        String adminPassword = credentials.password(admin);
        String client = CLIENT_LISTENER.toLowerCase(Locale.ROOT);
        String controller = CONTROLLER_LISTENER.toLowerCase(Locale.ROOT);
        Properties props = new Properties();
        props.putAll(singleNodeSettings());
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + options.controllerPort());
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("listeners", CLIENT_LISTENER + "://" + HOST + ":" + options.port() + "," + CONTROLLER_LISTENER
                + "://" + HOST + ":" + options.controllerPort());
        props.put("advertised.listeners", CLIENT_LISTENER + "://" + HOST + ":" + options.port());
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_PLAINTEXT," + CONTROLLER_LISTENER
                + ":SASL_PLAINTEXT");
        props.put("listener.name." + client + ".sasl.enabled.mechanisms", KafkaCredentials.MECHANISM);
        props.put("listener.name." + client + "." + KafkaCredentials.MECHANISM.toLowerCase(Locale.ROOT)
                + ".sasl.jaas.config", KafkaCredentials.scramJaas(admin, adminPassword));
        props.put("sasl.mechanism.inter.broker.protocol", KafkaCredentials.MECHANISM);
        props.put("listener.name." + controller + ".sasl.enabled.mechanisms", CONTROLLER_MECHANISM);
        props.put("listener.name." + controller + ".plain.sasl.jaas.config", plainJaas(admin, adminPassword));
        props.put("sasl.mechanism.controller.protocol", CONTROLLER_MECHANISM);
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", KafkaPrincipals.user(admin));
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", String.valueOf(options.partitions()));
        props.put("server.max.startup.time.ms", "120000");
        return props;
    }

    /** The broker's login to its controller, and the one user the controller listener accepts ({@code user_<name>}). */
    private static String plainJaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\" user_" + user + "=\"" + password + "\";";
    }
}
