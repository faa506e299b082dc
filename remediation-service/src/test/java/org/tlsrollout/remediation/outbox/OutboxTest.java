package org.tlsrollout.remediation.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tlsrollout.remediation.TestEstate.eventually;
import static org.tlsrollout.remediation.TestEstate.header;
import static org.tlsrollout.remediation.TestEstate.newSite;
import static org.tlsrollout.remediation.TestRollout.awaitJob;
import static org.tlsrollout.remediation.TestRollout.awaitWithJobs;
import static org.tlsrollout.remediation.TestRollout.createWave;
import static org.tlsrollout.remediation.TestRollout.poll;
import static org.tlsrollout.remediation.TestRollout.report;
import static org.tlsrollout.remediation.TestRollout.seedClientsToFix;
import static org.tlsrollout.remediation.TestRollout.wave;
import static org.tlsrollout.remediation.TestRollout.waveRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.Topics;
import org.tlsrollout.testing.KafkaTestResource;
import org.tlsrollout.testing.PostgresTestResource;
import org.tlsrollout.testing.TopicRecords;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.wave.WaveEngine;

/**
 * "Never lost, never twice": job events reach {@code tlsrollout.job-events.v1} through the transactional outbox as
 * binary CloudEvents; a crash before a chunk commits issues nothing (and the next pass issues it once); a batch issued
 * again issues no second job; an event published twice (a crash after Kafka's acknowledgement, before the outbox row
 * was deleted) is told apart by its ce_id.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OutboxTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Inject
    WaveEngine engine;

    @Inject
    Scheduler scheduler;

    private static final String RELAY_JOB = "outbox-relay";

    @Test
    void jobEventsReachTheTopicAsBinaryCloudEventsKeyedByMachine() {
        String site = newSite();
        String machine = seedClientsToFix("evt", site, 1).get(0);
        String waveId = createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        Map<String, String> job = awaitJob(machine);
        report(machine, job.get("jobId"), "SUCCEEDED");

        List<ConsumerRecord<String, String>> records = eventually().pollInterval(Duration.ofMillis(200))
                .until(() -> eventsOf(machine), r -> r.size() >= 2);
        assertThat(records).hasSize(2);
        JsonNode issued = json(records.get(0).value());
        JsonNode succeeded = json(records.get(1).value());
        assertThat(issued.path("kind").asText()).isEqualTo("ISSUED");
        assertThat(succeeded.path("kind").asText()).isEqualTo("SUCCEEDED");
        for (int i = 0; i < 2; i++) {
            ConsumerRecord<String, String> record = records.get(i);
            JsonNode event = json(record.value());
            assertThat(record.key()).isEqualTo(machine);
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_id")).isEqualTo(event.path("eventId").asText()).isNotBlank();
            assertThat(header(record, "ce_type")).isEqualTo(Topics.JOB_EVENT_TYPE);
            assertThat(header(record, "ce_source")).isEqualTo("urn:tlsrollout:remediation-service");
            assertThat(header(record, "ce_subject")).isEqualTo(machine);
            assertThat(header(record, "ce_time")).isNotBlank();
            assertThat(event.path("jobId").asText()).isEqualTo(job.get("jobId"));
            assertThat(event.path("waveId").asText()).isEqualTo(waveId);
            assertThat(event.path("machineId").asText()).isEqualTo(machine);
            assertThat(event.path("siteCode").asText()).isEqualTo(site);
            assertThat(event.path("phase").asText()).isEqualTo("CLIENTS");
            assertThat(event.path("seq").asLong()).isEqualTo(1);
            assertThat(event.path("rules").get(0).asText()).isEqualTo("SCHANNEL_TLS12_CLIENT");
            assertThat(event.path("at").asText()).isNotBlank();
        }
        assertThat(succeeded.path("detail").asText()).isEqualTo("succeeded in the test");
        eventually().until(() -> outboxRowsOf(machine) == 0);
    }

    @Test
    void anEventPublishedTwiceIsToldApartByItsCeId() throws SQLException {
        String site = newSite();
        String machine = seedClientsToFix("dup", site, 1).get(0);
        createWave(waveRequest(Phase.CLIENTS, site, 0.5));
        awaitJob(machine);
        ConsumerRecord<String, String> delivered = eventually().pollInterval(Duration.ofMillis(200))
                .until(() -> eventsOf(machine), r -> r.size() == 1).get(0);
        eventually().until(() -> outboxRowsOf(machine) == 0);

        // The relay crashed after Kafka acknowledged the event and before its delete committed: the row is back.
        insertOutboxRow(machine, header(delivered, "ce_id"), delivered.value());
        relay.relay();

        List<ConsumerRecord<String, String>> records = eventsOf(machine);
        assertThat(records).as("at least once: published again").hasSize(2);
        assertThat(header(records.get(1), "ce_id")).isEqualTo(header(records.get(0), "ce_id"));
        assertThat(json(records.get(1).value())).isEqualTo(json(records.get(0).value()));
        // A consumer that keeps the ce_ids it processed sees one event.
        Map<String, ConsumerRecord<String, String>> processed = new LinkedHashMap<>();
        records.forEach(r -> processed.putIfAbsent(header(r, "ce_id"), r));
        assertThat(processed).hasSize(1);
        assertThat(outboxRowsOf(machine)).isZero();
    }

    @Test
    void aBatchIssuedAgainIssuesNoSecondJob() throws SQLException {
        String site = newSite();
        List<String> machines = seedClientsToFix("twice", site, 3);
        String waveId = createWave(waveRequest(Phase.CLIENTS, site, 0.5, "batchSize", 3));
        awaitWithJobs(machines, 3);
        Map<String, String> jobs = new HashMap<>();
        for (String m : machines) {
            jobs.put(m, poll(m).get(0).get("jobId"));
        }
        Map<String, Long> seqs = seqs(machines);

        // As if the marks of the targets had been lost: the engine issues the batch again.
        TestEstate.execute(dataSource, "UPDATE wave_target SET state = 'PENDING' WHERE wave_id = '" + waveId + "'");
        engine.runOnce();

        for (String m : machines) {
            assertThat(poll(m)).extracting(j -> j.get("jobId")).containsExactly(jobs.get(m));
        }
        assertThat(seqs(machines)).isEqualTo(seqs);
        assertThat(count("SELECT count(*) FROM job WHERE wave_id = ?", waveId)).isEqualTo(3);
        assertThat(wave(waveId).getInt("counts.issued")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM wave_target WHERE wave_id = ? AND state = 'ISSUED'", waveId)).isEqualTo(3);
        relay.relay();
        for (String m : machines) {
            assertThat(eventsOf(m)).extracting(r -> json(r.value()).path("kind").asText()).containsExactly("ISSUED");
        }
        // And the schema itself refuses a second job of a machine in a batch.
        assertThatThrownBy(() -> TestEstate.execute(dataSource, "INSERT INTO job (id, wave_id, machine_id, batch, seq, phase, site_code, rules,"
                + " actions, kid, jws, restart, issued_at, expires_at) SELECT 'again-' || id, wave_id, machine_id, batch,"
                + " seq + 1, phase, site_code, rules, actions, kid, jws, restart, issued_at, expires_at FROM job"
                + " WHERE wave_id = '" + waveId + "'"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"))
                .hasMessageContaining("job_once_per_batch");
    }

    @Test
    void aChunkThatFailsBeforeItsCommitIssuesNothingAndTheNextPassIssuesItOnce() throws SQLException {
        String site = newSite();
        List<String> machines = seedClientsToFix("crash", site, 2);
        String waveId;
        try {
            // The last statement of the chunk's transaction (the outbox) fails, as a crash at that point would. Only
            // job events are refused: the wave's creation writes its audit event to the outbox too.
            TestEstate.execute(dataSource, "ALTER TABLE outbox ADD CONSTRAINT test_no_job_events CHECK (topic <> 'tlsrollout.job-events.v1')"
                    + " NOT VALID");
            waveId = createWave(waveRequest(Phase.CLIENTS, site, 0.5));
            assertThatThrownBy(engine::runOnce).hasMessageContaining("outbox");
            assertThat(count("SELECT count(*) FROM job WHERE wave_id = ?", waveId)).isZero();
            assertThat(seqs(machines).values()).containsOnly(0L);
            assertThat(count("SELECT count(*) FROM wave_target WHERE wave_id = ? AND state = 'PENDING'", waveId))
                    .isEqualTo(2);
        } finally {
            TestEstate.execute(dataSource, "ALTER TABLE outbox DROP CONSTRAINT IF EXISTS test_no_job_events");
        }
        awaitWithJobs(machines, 2);
        assertThat(count("SELECT count(*) FROM job WHERE wave_id = ?", waveId)).isEqualTo(2);
        assertThat(seqs(machines).values()).containsOnly(1L);
        eventually().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (String m : machines) {
                assertThat(eventsOf(m)).hasSize(1);
            }
        });
    }

    @Test
    void theEventsOfOneTransactionShareARowAndArePublishedInTheirOrder() throws SQLException {
        String run = "row-" + UUID.randomUUID();
        List<JobEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(new JobEvent(run + "-event-" + i, JobEvent.Kind.ISSUED, run + "-job-" + i, "wave-" + run,
                    run + "-m" + (i % 2), "S1", Phase.CLIENTS, i + 1, List.of(RuleId.SCHANNEL_TLS12_CLIENT),
                    Instant.parse("2026-12-06T00:00:00Z"), null));
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Outbox.add(c, events);
            try (PreparedStatement select = c.prepareStatement("SELECT events FROM outbox WHERE ? = ANY(event_ids)")) {
                select.setString(1, run + "-event-4");
                try (ResultSet rs = select.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("the five events in one row").isEqualTo(5);
                    assertThat(rs.next()).isFalse();
                }
            }
            c.commit();
        }
        relay.relay();

        List<ConsumerRecord<String, String>> published = eventually().pollInterval(Duration.ofMillis(200))
                .until(() -> TopicRecords.all(Topics.JOB_EVENTS).stream()
                        .filter(r -> r.key() != null && r.key().startsWith(run)).toList(), r -> r.size() >= 5);
        assertThat(published).hasSize(5);
        for (String machine : List.of(run + "-m0", run + "-m1")) {
            // Kafka keeps the order per key (partition): each machine's events in the order they were written.
            assertThat(eventsOf(machine)).extracting(r -> header(r, "ce_id"))
                    .isSortedAccordingTo(Comparator.comparingInt(id -> Integer.parseInt(id.substring(id.lastIndexOf('-') + 1))));
        }
        assertThat(published).extracting(r -> header(r, "ce_id"))
                .containsExactlyInAnyOrderElementsOf(events.stream().map(JobEvent::eventId).toList());
        for (ConsumerRecord<String, String> record : published) {
            JsonNode event = json(record.value());
            assertThat(header(record, "ce_id")).isEqualTo(event.path("eventId").asText());
            assertThat(record.key()).isEqualTo(event.path("machineId").asText());
        }
        assertThat(count("SELECT count(*) FROM outbox WHERE event_ids[1] = ?", run + "-event-0")).isZero();
    }

    @Test
    void aBatchTakesWholeRowsUpToItsEventsAndARowLargerThanThatAlone() throws SQLException {
        String run = "claim-" + UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Rows the relay's own transactions cannot see: written and claimed in this uncommitted transaction.
                execute(c, "DELETE FROM outbox");
                for (int size : new int[] {3, 2, 4}) {
                    List<JobEvent> events = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        events.add(new JobEvent(run + "-" + size + "-" + i, JobEvent.Kind.ISSUED, "job", "wave", run, "S1",
                                Phase.CLIENTS, 1, List.of(RuleId.SCHANNEL_TLS12_CLIENT), Instant.now(), null));
                    }
                    Outbox.add(c, events);
                }
                OutboxRelay.Batch five = OutboxRelay.claim(c, 5);
                assertThat(five.rowIds()).hasSize(2);
                assertThat(five.events()).extracting(OutboxRelay.Event::eventId).containsExactly(
                        run + "-3-0", run + "-3-1", run + "-3-2", run + "-2-0", run + "-2-1");
                assertThat(five.more()).isTrue();
                OutboxRelay.Batch two = OutboxRelay.claim(c, 2);
                assertThat(two.rowIds()).hasSize(1);
                assertThat(two.events()).hasSize(3);
                assertThat(two.more()).isTrue();
                OutboxRelay.Batch all = OutboxRelay.claim(c, 100);
                assertThat(all.events()).hasSize(9);
                assertThat(all.more()).isFalse();
            } finally {
                c.rollback();
            }
        }
    }

    /*
     * The relay waits for Kafka's acknowledgement inside its transaction. The acknowledgement arrives on the producer's
     * network thread; had the transaction's context travelled there with the send (SmallRye context propagation does
     * that for an emitter's Uni), the commit could find that thread still inside the transaction and fail
     * ("ARJUNA012094: Commit ... invoked while multiple threads active", quarkusio/quarkus#39098, about once in
     * a thousand commits): the batch, already on Kafka, would be rolled back and published again. So many small
     * batches, relayed one after the other, must all commit the first time. The rows are written at once and relayed
     * a row a batch (each batch its own transaction), with the scheduled relay paused: every commit is this test's.
     */
    @Test
    void everyBatchCommitsOnceKafkaAcknowledgedIt() throws SQLException {
        int batches = 1000;
        String key = "commit-" + UUID.randomUUID();
        int failed = 0;
        String firstFailure = null;
        scheduler.pause(RELAY_JOB);
        try {
            relay.relay(); // waits for a scheduled pass still under way (the relay's lock), publishes what it left
            insertOutboxRows(key, batches);
            for (int attempt = 0; attempt < batches && outboxRowsOf(key) > 0; attempt++) {
                try {
                    relay.relay(1);
                } catch (RuntimeException e) {
                    failed++;
                    firstFailure = firstFailure == null ? e.toString() : firstFailure;
                }
            }
        } finally {
            scheduler.resume(RELAY_JOB);
        }
        assertThat(failed).as("relay batches that failed to commit after Kafka took them (first: %s)", firstFailure)
                .isZero();
        assertThat(outboxRowsOf(key)).isZero();
        eventually().pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(eventsOf(key)).hasSize(batches));
    }

    /** Nothing to send is nothing to wait for: not a wait of the publish timeout ending in an error. */
    @Test
    void publishingNoEventsReturnsAtOnce() {
        assertThatCode(() -> relay.publish(List.of())).doesNotThrowAnyException();
    }

    private static List<ConsumerRecord<String, String>> eventsOf(String machine) {
        return TopicRecords.all(Topics.JOB_EVENTS).stream()
                .filter(r -> machine.equals(r.key()))
                .sorted((a, b) -> Long.compare(a.offset(), b.offset()))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** A row of one event, as {@link Outbox#add} writes it. */
    private void insertOutboxRow(String key, String eventId, String payload) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(Outbox.INSERT)) {
            addOutboxRow(c, insert, key, eventId, payload);
            insert.executeUpdate();
        }
    }

    /** {@code n} rows of one event each ({@code key-0} ... ), in this order, in one transaction. */
    private void insertOutboxRows(String key, int n) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(Outbox.INSERT)) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                addOutboxRow(c, insert, key, key + "-" + i, "{}");
                insert.addBatch();
            }
            insert.executeBatch();
            c.commit();
        }
    }

    private static void addOutboxRow(Connection c, PreparedStatement insert, String key, String eventId, String payload)
            throws SQLException {
        insert.setString(1, Topics.JOB_EVENTS);
        insert.setString(2, Topics.JOB_EVENT_TYPE);
        insert.setInt(3, 1);
        insert.setArray(4, c.createArrayOf("text", new String[] {key}));
        insert.setArray(5, c.createArrayOf("text", new String[] {eventId}));
        insert.setArray(6, c.createArrayOf("text", new String[] {payload}));
    }

    private long outboxRowsOf(String machine) throws SQLException {
        return count("SELECT count(*) FROM outbox WHERE ? = ANY(message_keys)", machine);
    }

    private Map<String, Long> seqs(List<String> machines) throws SQLException {
        Map<String, Long> seqs = new HashMap<>();
        for (String m : machines) {
            seqs.put(m, count("SELECT coalesce(max(job_seq), 0) FROM machine_job_seq WHERE machine_id = ?", m));
        }
        return seqs;
    }

    private long count(String sql, String parameter) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, parameter);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }

    private static JsonNode json(String value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
