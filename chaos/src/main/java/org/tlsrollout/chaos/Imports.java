package org.tlsrollout.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.tlsrollout.cli.StackException;

/** An estate brought in by the NDJSON import (as an operator would), and the waits that go with it. */
final class Imports {
    static final int CHUNK = 2000;

    private Imports() {
    }

    /**
     * Imports {@code n} machines per site, chunks spread round-robin over the collectors, {@code parallel} requests
     * at a time; returns the lines accepted.
     */
    static long importMachines(AgentClient client, List<String> collectorUrls, String prefix, List<String> sites, int n,
            int parallel) throws Exception {
        Instant collectedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        for (String site : sites) {
            for (String id : ChaosStack.machineIds(prefix + site, n)) {
                lines.add(client.snapshot(id, site, collectedAt));
            }
        }
        // Chunks of equal size (sites mixed), so that round-robin gives each collector its share.
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += CHUNK) {
            chunks.add(lines.subList(i, Math.min(lines.size(), i + CHUNK)));
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < parallel; t++) {
                fs.add(pool.submit(() -> {
                    for (int k = next.getAndIncrement(); k < chunks.size(); k = next.getAndIncrement()) {
                        accepted.addAndGet(client.importLines(collectorUrls.get(k % collectorUrls.size()), chunks.get(k)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return accepted.get();
    }

    /** Waits until the machine table holds {@code expected} rows of these sites; throws if nothing moves for 3 min. */
    static void awaitMachines(ChaosStack stack, List<String> sites, long expected) throws Exception {
        long last = -1;
        long lastMove = System.nanoTime();
        while (true) {
            long stored;
            try (Connection c = stack.db();
                    PreparedStatement st = c.prepareStatement("SELECT count(*) FROM machine WHERE site_code = ANY (?)")) {
                st.setArray(1, c.createArrayOf("text", sites.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    stored = rs.getLong(1);
                }
            }
            if (stored >= expected) {
                return;
            }
            if (stored != last) {
                last = stored;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > 180e9) {
                throw new StackException("remediation-service stored " + stored + " of " + expected
                        + " machines and nothing moved for 3 minutes");
            }
            Thread.sleep(250);
        }
    }

    /** Waits until every target of these waves is ISSUED or SKIPPED; throws if nothing moves for 3 min. */
    static void awaitIssued(ChaosStack stack, List<String> waveIds, long targeted) throws Exception {
        long last = -1;
        long lastMove = System.nanoTime();
        while (true) {
            long done;
            try (Connection c = stack.db(); PreparedStatement st = c.prepareStatement(
                    "SELECT count(*) FROM wave_target WHERE wave_id = ANY (?) AND state <> 'PENDING'")) {
                st.setArray(1, c.createArrayOf("text", waveIds.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    done = rs.getLong(1);
                }
            }
            if (done >= targeted) {
                return;
            }
            if (done != last) {
                last = done;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > 180e9) {
                throw new StackException("waves " + waveIds + ": " + done + " of " + targeted
                        + " targets have their job and nothing moved for 3 minutes");
            }
            Thread.sleep(200);
        }
    }

    /** Waits until the outbox is relayed (job events on Kafka), at most 3 minutes. */
    static void awaitOutboxEmpty(ChaosStack stack) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (stack.count("SELECT count(*) FROM outbox") > 0) {
            if (System.nanoTime() > deadline) {
                throw new StackException("the outbox still holds events after 3 minutes");
            }
            Thread.sleep(250);
        }
    }

    /** Waits until the wave reaches this state; throws after {@code seconds}. */
    static void awaitWaveState(ChaosStack stack, String waveId, String state, long seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (true) {
            String now;
            try (Connection c = stack.db(); PreparedStatement st = c.prepareStatement("SELECT state FROM wave WHERE id = ?")) {
                st.setString(1, waveId);
                try (ResultSet rs = st.executeQuery()) {
                    now = rs.next() ? rs.getString(1) : "(none)";
                }
            }
            if (now.equals(state)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("wave " + waveId + " is " + now + ", not " + state + ", after " + seconds + " s");
            }
            Thread.sleep(250);
        }
    }
}
