package org.tlsrollout.platform.kafka;

import java.nio.file.Path;

/**
 * Command-line options of {@link LocalKafkaBroker}.
 *
 * @param credentials the principals' passwords ({@link KafkaCredentials}); by default {@code credentials.properties}
 *                    in the data directory, made there on first start
 */
public record BrokerOptions(int port, int controllerPort, Path dataDir, int partitions, Path credentials) {

    public static final String USAGE = "usage: LocalKafkaBroker [--port 9092] [--controller-port 9093]"
            + " [--data-dir .tlsrollout/kafka] [--partitions 12] [--credentials <data-dir>/credentials.properties]";

    public BrokerOptions {
        requirePort(port, "--port");
        requirePort(controllerPort, "--controller-port");
        if (port == controllerPort) {
            throw new IllegalArgumentException("--port and --controller-port must differ, both are " + port);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, was " + partitions);
        }
    }

    /** Reads {@code --flag value} pairs; a flag left out keeps its default (the values shown in {@link #USAGE}). */
    public static BrokerOptions parse(String... args) {
        int port = 9092;
        int controllerPort = 9093;
        Path dataDir = Path.of(".tlsrollout", "kafka");
        int partitions = 12;
        Path credentials = null;
        for (int i = 0; i < args.length; i += 2) {
            String flag = args[i];
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[i + 1];
            switch (flag) {
                case "--port" -> port = number(flag, value);
                case "--controller-port" -> controllerPort = number(flag, value);
                case "--data-dir" -> dataDir = Path.of(value);
                case "--partitions" -> partitions = number(flag, value);
                case "--credentials" -> credentials = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return new BrokerOptions(port, controllerPort, dataDir, partitions,
                credentials != null ? credentials : defaultCredentials(dataDir));
    }

    /** Where the credentials of a broker with this data directory are kept unless {@code --credentials} says. */
    public static Path defaultCredentials(Path dataDir) {
        return dataDir.resolve("credentials.properties");
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, was '" + value + "'");
        }
    }

    private static void requirePort(int port, String flag) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be between 1 and 65535, was " + port);
        }
    }
}
