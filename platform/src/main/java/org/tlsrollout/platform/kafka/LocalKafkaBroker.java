package org.tlsrollout.platform.kafka;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.tlsrollout.contracts.Topics;

/**
 * A real Apache Kafka broker for running the system locally: one KRaft node that is broker and controller at once,
 * listening on 127.0.0.1 only. On first start it formats its data directory; every start creates the topics of
 * {@link Topics#ALL} that are missing, then prints {@value #READY_PREFIX}{@code 127.0.0.1:<port>}. SIGTERM stops it
 * cleanly. Run it as its own process:
 * {@code java -cp <classpath> org.tlsrollout.platform.kafka.LocalKafkaBroker --port 9092 --controller-port 9093
 * --data-dir .tlsrollout/kafka [--partitions 12]}.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** Start of the one line printed once the broker takes records; the bootstrap address follows it. */
    public static final String READY_PREFIX = "kafka ready on ";

    private final BrokerOptions options;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile KafkaRaftServer server;

    public LocalKafkaBroker(BrokerOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        configureLogging();
        if (List.of(args).contains("--help")) {
            System.out.println(BrokerOptions.USAGE);
            return;
        }
        BrokerOptions options;
        try {
            options = BrokerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BrokerOptions.USAGE);
            System.exit(2);
            return;
        }
        LocalKafkaBroker broker = new LocalKafkaBroker(options);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        try {
            broker.start();
        } catch (RuntimeException e) {
            System.err.println("kafka did not start: " + e.getMessage());
            System.exit(1);
        }
        System.out.println(READY_PREFIX + broker.bootstrapServers());
        broker.awaitShutdown();
    }

    /** The address clients connect to. */
    public String bootstrapServers() {
        return SingleNodeConfig.HOST + ":" + options.port();
    }

    /**
     * Formats the data directory if it is new, starts the broker and creates the missing topics.
     *
     * @throws IllegalStateException with what to do when a port is taken, the data directory is not usable or the
     *         broker fails
     */
    public void start() {
        Path logDir = prepareDataDir();
        requireUnlocked(logDir);
        requireFreePort(options.port(), "--port");
        requireFreePort(options.controllerPort(), "--controller-port");
        Properties config = SingleNodeConfig.combinedServer(options, logDir);
        formatIfNew(writeConfig(config), logDir);
        System.out.printf("starting kafka %s (KRaft, broker and controller) on %s, controller %s:%d, data in %s%n",
                AppInfoParser.getVersion(), bootstrapServers(), SingleNodeConfig.HOST, options.controllerPort(),
                logDir.toAbsolutePath());
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
            server.startup();
        } catch (RuntimeException e) {
            throw new IllegalStateException(rootMessage(e), e);
        }
        List<String> created = TopicAdmin.ensureTopics(bootstrapServers(), options.partitions(), Topics.ALL);
        System.out.printf("topics: %d created with %d partitions each, %d existed already%n",
                created.size(), options.partitions(), Topics.ALL.size() - created.size());
    }

    /** Blocks until the broker has shut down. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    /** Stops the broker, flushing its logs; does nothing if it never started. */
    @Override
    public void close() {
        KafkaRaftServer running = server;
        if (running != null && stopped.compareAndSet(false, true)) {
            running.shutdown();
            running.awaitShutdown();
            System.out.println("kafka stopped");
        }
    }

    private Path prepareDataDir() {
        Path dataDir = options.dataDir().toAbsolutePath();
        Path logDir = dataDir.resolve("data");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory " + logDir + " (" + e + "); pass a"
                    + " writable --data-dir", e);
        }
        if (!Files.isWritable(dataDir) || !Files.isWritable(logDir)) {
            throw new IllegalStateException("the data directory " + dataDir + " is not writable; fix its"
                    + " permissions or pass another --data-dir");
        }
        return logDir;
    }

    /** Kafka locks {@code .lock} in each log directory while it runs; fail early and plainly if another holds it. */
    private static void requireUnlocked(Path logDir) {
        try (FileChannel channel = FileChannel.open(logDir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("the data directory " + logDir + " is in use by another Kafka"
                        + " process: stop it (see ./tlsrollout status) or pass another --data-dir");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + logDir + " (" + e + "); pass a writable --data-dir", e);
        }
    }

    private Path writeConfig(Properties config) {
        Path file = options.dataDir().toAbsolutePath().resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            config.store(out, "written by LocalKafkaBroker at each start from its options; edits are overwritten");
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + " (" + e + "); pass a writable --data-dir", e);
        }
    }

    private static void formatIfNew(Path configFile, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        try {
            int exitCode = StorageTool.execute(
                    new String[] {"format", "--config", configFile.toString(), "--cluster-id", clusterId},
                    System.out);
            if (exitCode != 0) {
                throw new IllegalStateException("kafka-storage format of " + logDir + " failed with exit code "
                        + exitCode + "; see the lines above");
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the data directory " + logDir + ": " + rootMessage(e)
                    + "; delete it to start from scratch or pass another --data-dir", e);
        }
    }

    private static void requireFreePort(int port, String flag) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(SingleNodeConfig.HOST), port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on " + SingleNodeConfig.HOST + " (" + flag + ") is"
                    + " already in use: stop what listens there (another Kafka? see ./tlsrollout status) or choose"
                    + " another " + flag, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }

    /** Kafka logs through SLF4J: to stdout, INFO for this launcher, WARN for Kafka; any -D setting wins. */
    private static void configureLogging() {
        setIfAbsent("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
        setIfAbsent("slf4j.internal.verbosity", "WARN");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setIfAbsent("org.slf4j.simpleLogger.log.kafka", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.state.change.logger", "warn");
        // warns at every clean shutdown that a client it closes was already closed
        setIfAbsent("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
