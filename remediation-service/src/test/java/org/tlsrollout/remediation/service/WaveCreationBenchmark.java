package org.tlsrollout.remediation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.platform.testing.KafkaTestResource;
import org.tlsrollout.platform.testing.PostgresTestResource;
import org.tlsrollout.remediation.TestEstate;
import org.tlsrollout.remediation.TestRollout;
import org.tlsrollout.remediation.messaging.EvaluationThroughputBenchmark;
import org.tlsrollout.remediation.outbox.OutboxRelay;

/**
 * How long a wave over 100,000 machines takes to be created and to have every job of its one batch (percent 100)
 * signed and issued, and how much heap the service uses meanwhile. Not part of the default build (its name is not a
 * test's); run it with {@code mvn -pl remediation-service verify -Dtest=WaveCreationBenchmark}
 * ({@code -Dbenchmark.machines} changes the size, {@code -Dbenchmark.max-seconds} the bar). The machines are Windows 7
 * clients before the rollout (6 FAIL results in CLIENTS): each job holds 7 registry writes, 2 installs and a restart.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class WaveCreationBenchmark {
    private static final int MACHINES = Integer.getInteger("benchmark.machines", 100_000);
    private static final long MAX_SECONDS = Long.getLong("benchmark.max-seconds", 120);

    @Inject
    MachineStore store;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboxRelay relay;

    @Test
    void aWaveOver100kMachinesIsCreatedAndAllItsJobsSignedAndIssued() throws Exception {
        String site = TestEstate.newSite();
        String run = "wave-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        for (int from = 0; from < MACHINES; from += 2000) {
            List<MachineUpdate> batch = new ArrayList<>(2000);
            for (int i = from; i < Math.min(MACHINES, from + 2000); i++) {
                batch.add(MachineUpdate.of(EvaluationThroughputBenchmark.win7Client(run + "-" + i, site), null));
            }
            store.apply(batch);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE machine");
        }
        // A warm-up wave on a few machines of another site: the first wave of a JVM measures class loading and JIT.
        String warmSite = TestEstate.newSite();
        List<String> warm = TestRollout.seedClientsToFix("warm", warmSite, 50);
        TestRollout.createWave(TestRollout.waveRequest(Phase.CLIENTS, warmSite, 1.0, "percent", 100));
        TestRollout.awaitWithJobs(warm, 50);
        relay.relay();

        System.gc();
        long heapBefore = usedHeap();
        long gcBefore = gcMillis();
        AtomicLong peak = new AtomicLong(heapBefore);
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(usedHeap(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        long started = System.nanoTime();
        String id = TestRollout.createWave(TestRollout.waveRequest(Phase.CLIENTS, site, 1.0, "percent", 100));
        long created = System.nanoTime();
        assertThat(TestRollout.wave(id).getInt("counts.targeted")).isEqualTo(MACHINES);
        await().atMost(Duration.ofSeconds(MAX_SECONDS * 2)).pollInterval(Duration.ofMillis(100))
                .until(() -> targetsLeft(id) == 0);
        long issued = System.nanoTime();
        sampling.set(false);
        sampler.join();
        long gc = gcMillis() - gcBefore;
        System.gc();
        long heapAfter = usedHeap();

        assertThat(count("SELECT count(*) FROM job WHERE wave_id = ?", id)).isEqualTo(MACHINES);
        long jwsBytes = count("SELECT sum(length(jws)) FROM job WHERE wave_id = ?", id);
        // The events then leave through the outbox.
        await().atMost(Duration.ofSeconds(MAX_SECONDS * 2)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM outbox o CROSS JOIN unnest(o.message_keys) AS k(key)"
                        + " WHERE k.key LIKE ?", run + "-%") == 0);
        long relayed = System.nanoTime();

        double createSeconds = (created - started) / 1e9;
        double issueSeconds = (issued - started) / 1e9;
        System.out.printf("BENCHMARK wave creation: %d machines targeted in %.2f s (POST /api/v1/waves, 201); all %d"
                        + " jobs signed and issued %.2f s after the POST (%.0f jobs/s; %d chunks of %d); job events"
                        + " relayed to Kafka %.2f s after the POST%n", MACHINES, createSeconds, MACHINES, issueSeconds,
                MACHINES / issueSeconds, (MACHINES + 999) / 1000, 1000, (relayed - started) / 1e9);
        System.out.printf("BENCHMARK wave creation heap (the whole test JVM: service, test and in-process Kafka): %d MiB"
                        + " live before, %d MiB used at peak (garbage included), %d MiB live after; %d ms in GC meanwhile;"
                        + " max heap %d MiB; average JWS %d bytes; %d cores%n",
                heapBefore >> 20, peak.get() >> 20, heapAfter >> 20, gc, Runtime.getRuntime().maxMemory() >> 20,
                jwsBytes / MACHINES, Runtime.getRuntime().availableProcessors());
        assertThat(issueSeconds).isLessThan(MAX_SECONDS);
    }

    private long targetsLeft(String waveId) throws SQLException {
        return count("SELECT count(*) FROM wave_target WHERE wave_id = ? AND state = 'PENDING'", waveId);
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

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
