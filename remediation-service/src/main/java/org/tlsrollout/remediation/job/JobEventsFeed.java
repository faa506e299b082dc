package org.tlsrollout.remediation.job;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.remediation.config.RemediationConfig;

/**
 * Feeds {@link JobMarks} from {@code tlsrollout.job-events.v1}: a consumer of every partition (assigned, no consumer
 * group: each instance reads all of them, and commits nothing) that is first positioned at the topic's end, then loads
 * the machines with an ISSUED job from PostgreSQL, then marks the machine of every ISSUED event that follows. A job
 * committed before the load is in it; one committed after has its event after the position. On any failure the marks
 * stop answering (every poll reads PostgreSQL) and the feed starts over after {@link #RETRY}.
 */
@ApplicationScoped
public class JobEventsFeed {
    private static final Logger LOG = Logger.getLogger(JobEventsFeed.class);
    static final Duration RETRY = Duration.ofSeconds(5);
    static final String ISSUED_MACHINES = "SELECT DISTINCT machine_id FROM job WHERE state = 'ISSUED' AND expires_at > now()";

    private final JobMarks marks;
    private final AgroalDataSource dataSource;
    private final Map<String, Object> kafka;
    private final boolean enabled;
    private volatile boolean stopping;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public JobEventsFeed(JobMarks marks, AgroalDataSource dataSource,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, RemediationConfig config) {
        this.marks = marks;
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.enabled = config.jobs().marks();
    }

    void start(@Observes StartupEvent started) {
        if (!enabled) {
            LOG.info("job marks are off (remediation.jobs.marks=false): every poll reads PostgreSQL");
            return;
        }
        thread = new Thread(this::run, "job-marks-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopped) {
        stopping = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (!stopping) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(settings(), new StringDeserializer(),
                    new StringDeserializer())) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException | SQLException e) {
                marks.ready(false);
                if (stopping) {
                    break;
                }
                LOG.warnf("job marks off until %s is read again (every poll reads PostgreSQL meanwhile): %s",
                        Topics.JOB_EVENTS, e.toString());
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } finally {
                consumer = null;
            }
        }
        marks.ready(false);
    }

    private void follow(KafkaConsumer<String, String> c) throws SQLException {
        List<TopicPartition> partitions = c.partitionsFor(Topics.JOB_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException(Topics.JOB_EVENTS + " has no partitions (not created yet?)");
        }
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position); // the end is looked up now, before the load below
        int loaded = load();
        marks.ready(true);
        LOG.infof("job marks ready: %d machines with an ISSUED job, then %s from its end (%d partitions)", loaded,
                Topics.JOB_EVENTS, partitions.size());
        while (!stopping) {
            for (ConsumerRecord<String, String> record : c.poll(Duration.ofSeconds(1))) {
                String machineId = issuedMachine(record.value());
                if (machineId != null) {
                    marks.mark(machineId);
                }
            }
        }
    }

    private int load() throws SQLException {
        int n = 0;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(ISSUED_MACHINES)) {
            select.setFetchSize(10_000);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    marks.mark(rs.getString(1));
                    n++;
                }
            }
        }
        return n;
    }

    /** The machine of an ISSUED job event, else null (other kinds; anything that is not a job event is ignored). */
    static String issuedMachine(String value) {
        if (value == null) {
            return null;
        }
        try {
            JobEvent event = Json.MAPPER.readValue(value, JobEvent.class);
            return event.kind() == JobEvent.Kind.ISSUED ? event.machineId() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Map<String, Object> settings() {
        Map<String, Object> settings = new HashMap<>(kafka);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "remediation-job-marks");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return settings;
    }
}
