package org.tlsrollout.platform.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.platform.io.PrivateFiles;

/**
 * A real Apache Kafka broker for running the system locally: one KRaft node that is broker and controller at once,
 * listening on 127.0.0.1 only, that authenticates every client (SASL/SCRAM-SHA-512) and authorizes it with the ACLs
 * of {@link KafkaPrincipals} ({@link SingleNodeConfig#combinedServer}). The principals' passwords are in
 * {@code --credentials} (owner-only, made on first start when missing, {@link KafkaCredentials}). On first start it
 * formats its data directory with every principal's SCRAM credentials; every start sets the credentials again from
 * the file (a password changed there takes effect), makes the ACLs exactly those of {@link KafkaPrincipals#acls()},
 * creates the topics of {@link Topics#ALL} that are missing, then prints
 * {@value #READY_PREFIX}{@code 127.0.0.1:<port>}. SIGTERM stops it cleanly. Run it as its own process:
 * {@code java -cp <classpath> org.tlsrollout.platform.kafka.LocalKafkaBroker --port 9092 --controller-port 9093
 * --data-dir .tlsrollout/kafka [--partitions 12] [--credentials .tlsrollout/kafka/credentials.properties]}.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** Start of the one line printed once the broker takes records; the bootstrap address follows it. */
    public static final String READY_PREFIX = "kafka ready on ";

    /** PBKDF2 iterations of the SCRAM credentials: Kafka's own default and minimum for SCRAM-SHA-512. */
    private static final int SCRAM_ITERATIONS = 4096;
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Written next to {@code meta.properties} once the data directory is formatted with the principals' SCRAM
     * credentials. A data directory without it was formatted by an earlier release, without credentials: no client
     * could ever log in to it (credentials are only added by a client that has logged in), so it is refused.
     */
    static final String CREDENTIALS_MARK = "formatted-with-credentials";

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
     * Formats the data directory if it is new, starts the broker, sets the credentials and ACLs and creates the
     * missing topics.
     *
     * @throws IllegalStateException with what to do when a port is taken, the data directory is not usable or the
     *         broker fails
     */
    public void start() {
        Path logDir = prepareDataDir();
        requireUnlocked(logDir);
        requireFreePort(options.port(), "--port");
        requireFreePort(options.controllerPort(), "--controller-port");
        KafkaCredentials credentials;
        try {
            credentials = KafkaCredentials.loadOrCreate(options.credentials());
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage() + " (" + e.getCause() + "); pass a readable --credentials", e);
        }
        Properties config = SingleNodeConfig.combinedServer(options, logDir, credentials);
        formatIfNew(writeConfig(config), logDir, credentials);
        System.out.printf("starting kafka %s (KRaft, broker and controller) on %s, controller %s:%d, data in %s%n",
                AppInfoParser.getVersion(), bootstrapServers(), SingleNodeConfig.HOST, options.controllerPort(),
                logDir.toAbsolutePath());
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
            server.startup();
        } catch (RuntimeException e) {
            throw new IllegalStateException(rootMessage(e), e);
        }
        List<String> created = secureAndCreateTopics(credentials);
        System.out.printf("topics: %d created with %d partitions each, %d existed already%n",
                created.size(), options.partitions(), Topics.ALL.size() - created.size());
    }

    /**
     * As {@value KafkaPrincipals#ADMIN}: every principal's SCRAM credential set again from the credentials file (so
     * that a password changed there takes effect), the ACLs made exactly those of {@link KafkaPrincipals#acls()}, and
     * the missing topics created.
     */
    private List<String> secureAndCreateTopics(KafkaCredentials credentials) {
        Map<String, Object> settings = new HashMap<>(credentials.clientSettings(KafkaPrincipals.ADMIN));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "tlsrollout-broker-setup");
        try (Admin admin = Admin.create(settings)) {
            List<UserScramCredentialAlteration> upserts = new ArrayList<>();
            credentials.passwords().forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)));
            admin.alterUserScramCredentials(upserts).all().get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            int[] changed = KafkaPrincipals.apply(admin);
            System.out.printf("security: SASL/%s required on %s for %s; %d ACLs (%d added, %d removed); passwords"
                    + " in %s%n", KafkaCredentials.MECHANISM, bootstrapServers(), KafkaPrincipals.ALL,
                    KafkaPrincipals.acls().size(), changed[0], changed[1], options.credentials().toAbsolutePath());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set the principals' credentials and ACLs: "
                    + rootMessage(e.getCause()), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the broker did not set the credentials and ACLs within "
                    + SETUP_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the credentials and ACLs", e);
        }
        return TopicAdmin.ensureTopics(bootstrapServers(), options.partitions(), Topics.ALL,
                credentials.clientSettings(KafkaPrincipals.ADMIN), TopicAdmin.DEFAULT_TIMEOUT);
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

    /** The data directory and its log directory, readable by their owner only: the configuration holds a password. */
    private Path prepareDataDir() {
        Path dataDir = options.dataDir().toAbsolutePath();
        Path logDir = dataDir.resolve("data");
        try {
            PrivateFiles.createDirectories(logDir);
            try {
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // nothing to narrow
            }
        } catch (IOException | UncheckedIOException e) {
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

    /** server.properties, owner-only: it holds the admin's password (the listeners' JAAS settings). */
    private Path writeConfig(Properties config) {
        Path file = options.dataDir().toAbsolutePath().resolve("server.properties");
        try {
            StringWriter text = new StringWriter();
            config.store(text, "written by LocalKafkaBroker at each start from its options; edits are overwritten");
            PrivateFiles.write(file, text.toString());
            return file;
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot write " + file + " (" + e + "); pass a writable --data-dir", e);
        }
    }

    /** kafka-storage format, with every principal's SCRAM credential in the bootstrap metadata. */
    private static void formatIfNew(Path configFile, Path logDir, KafkaCredentials credentials) {
        Path mark = logDir.resolve(CREDENTIALS_MARK);
        if (Files.exists(logDir.resolve("meta.properties"))) {
            if (!Files.exists(mark)) {
                throw new IllegalStateException("the Kafka data in " + logDir + " was made by an earlier release,"
                        + " whose broker had no credentials, and cannot take them now; delete " + logDir.getParent()
                        + " (or ./tlsrollout down --wipe, which also drops the database) and start again");
            }
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        List<String> args = new ArrayList<>(List.of("format", "--config", configFile.toString(), "--cluster-id",
                clusterId));
        credentials.passwords().forEach((user, password) -> args.addAll(List.of("--add-scram",
                KafkaCredentials.MECHANISM + "=[name=" + user + ",password=" + password + ",iterations="
                        + SCRAM_ITERATIONS + "]")));
        try {
            // The format prints its bootstrap records, the credentials' salted keys among them: kept out of the log.
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exitCode = StorageTool.execute(args.toArray(String[]::new), new PrintStream(output, true, UTF_8));
            output.toString(UTF_8).lines().filter(line -> !line.startsWith("Bootstrap metadata"))
                    .forEach(System.out::println);
            if (exitCode != 0) {
                throw new IllegalStateException("kafka-storage format of " + logDir + " failed with exit code "
                        + exitCode + "; see the lines above");
            }
            Files.writeString(mark, "formatted with the SCRAM credentials of " + KafkaPrincipals.ALL + "\n");
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
