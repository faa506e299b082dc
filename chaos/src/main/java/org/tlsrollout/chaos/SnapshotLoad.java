package org.tlsrollout.chaos;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.tlsrollout.contracts.Topics;

/**
 * Enrolled agents, one snapshot each (distinct machines, so that every accepted snapshot is checkable in
 * remediation-service's machine table), sent by a few threads while the run breaks things; then the check.
 */
final class SnapshotLoad {
    private final ChaosStack stack;
    private final AgentClient client;
    private final List<String> machines;
    private final String site;
    private final Instant collectedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final String[] tokens;
    /** machine id to the snapshotId of its 202. */
    final Map<String, String> accepted = new ConcurrentHashMap<>();
    final AtomicLong accepted202 = new AtomicLong();
    private final AtomicInteger next = new AtomicInteger();
    private ExecutorService threads;
    private final List<Future<?>> workers = new ArrayList<>();

    SnapshotLoad(ChaosStack stack, AgentClient client, String prefix, String site, int n) {
        this.stack = stack;
        this.client = client;
        this.machines = ChaosStack.machineIds(prefix, n);
        this.site = site;
        this.tokens = new String[n];
    }

    String token(int k) {
        return tokens[k];
    }

    int size() {
        return machines.size();
    }

    /** Every agent enrolls (before the chaos: enrollment is not what is checked). */
    void enroll(int threadCount, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        AtomicInteger i = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threadCount);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            fs.add(pool.submit(() -> {
                for (int k = i.getAndIncrement(); k < machines.size(); k = i.getAndIncrement()) {
                    tokens[k] = client.enroll(stack.config.collectorUrl(), machines.get(k), site);
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        out.printf(Locale.ROOT, "  %d agents enrolled in %.1f s%n", machines.size(), (System.nanoTime() - t0) / 1e9);
    }

    /** Starts sending; returns at once. */
    void start(int threadCount, double maxPerSecond) {
        threads = Executors.newFixedThreadPool(threadCount);
        long t0 = System.nanoTime();
        for (int t = 0; t < threadCount; t++) {
            workers.add(threads.submit(() -> {
                for (int k = next.getAndIncrement(); k < machines.size(); k = next.getAndIncrement()) {
                    long due = t0 + (long) (k / maxPerSecond * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    String id = machines.get(k);
                    String snapshotId = client.postSnapshot(stack.config.collectorUrl(), tokens[k],
                            client.snapshot(id, site, collectedAt));
                    accepted.put(id, snapshotId);
                    accepted202.incrementAndGet();
                }
                return null;
            }));
        }
    }

    boolean done() {
        return workers.stream().allMatch(Future::isDone);
    }

    void await() throws Exception {
        for (Future<?> f : workers) {
            f.get();
        }
        threads.shutdown();
    }

    /** Waits until remediation-service stored as many of these machines as were accepted, or nothing moved for 3 min. */
    long awaitStored(PrintStream out) throws Exception {
        long last = -1;
        long lastMove = System.nanoTime();
        while (true) {
            long stored = stack.count("SELECT count(*) FROM machine WHERE site_code = '" + site + "' AND collected_at = '"
                    + collectedAt + "'");
            if (stored >= accepted.size()) {
                return stored;
            }
            if (stored != last) {
                last = stored;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > 180e9) {
                out.printf("  stored evaluations stopped at %d of %d for 3 minutes%n", stored, accepted.size());
                return stored;
            }
            Thread.sleep(1000);
        }
    }

    record Check(long accepted, long stored, long lost, long storedOtherCopy, long unexpectedRows,
            long evaluationRecords, long evaluatedSnapshots, long evaluationDuplicates, long acceptedNotEvaluated,
            long snapshotRecords, long snapshotDuplicates) {
        boolean ok() {
            return lost == 0 && unexpectedRows == 0 && acceptedNotEvaluated == 0;
        }

        void print(PrintStream out) {
            out.printf(Locale.ROOT, "  accepted (202)                   %d%n", accepted);
            out.printf(Locale.ROOT, "  stored in remediation-service    %d (%d of them hold a copy the collector took from"
                    + " an attempt answered 503, same machine and collectedAt)%n", stored, storedOtherCopy);
            out.printf(Locale.ROOT, "  LOST (accepted, not stored)      %d%n", lost);
            out.printf(Locale.ROOT, "  rows no 202 accounts for         %d%n", unexpectedRows);
            out.printf(Locale.ROOT, "  %s: %d records for %d snapshots (%d at-least-once duplicates; the upsert"
                    + " stores one row per machine)%n", Topics.EVALUATIONS, evaluationRecords, evaluatedSnapshots,
                    evaluationDuplicates);
            out.printf(Locale.ROOT, "  accepted snapshotIds with no evaluation on the topic: %d%n", acceptedNotEvaluated);
            out.printf(Locale.ROOT, "  %s: %d records (%d beyond one per machine: attempts answered 503 that Kafka"
                    + " had taken)%n", Topics.SNAPSHOTS, snapshotRecords, snapshotDuplicates);
        }
    }

    /**
     * Every accepted snapshot must be stored: its machine's row has this collectedAt (and normally its snapshotId;
     * else the snapshotId of an earlier attempt of the same snapshot that was answered 503 but reached Kafka, which
     * the snapshots topic shows). Rows of this site with any other content count as unexpected.
     */
    Check check() throws Exception {
        Map<String, String[]> rows = new java.util.HashMap<>();
        try (Connection c = stack.db();
                PreparedStatement st = c.prepareStatement(
                        "SELECT machine_id, snapshot_id, collected_at FROM machine WHERE site_code = ?")) {
            st.setString(1, site);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new String[] {rs.getString(2), rs.getTimestamp(3).toInstant().toString()});
                }
            }
        }
        Map<String, Integer> evaluations = TopicScan.countBy(stack.config, Topics.EVALUATIONS,
                v -> site.equals(v.path("siteCode").asText()) ? v.path("snapshotId").asText() : null);
        Map<String, Integer> snapshots = TopicScan.countBy(stack.config, Topics.SNAPSHOTS,
                v -> site.equals(v.path("siteCode").asText()) ? v.path("machineId").asText() : null);
        long stored = 0;
        long lost = 0;
        long other = 0;
        long notEvaluated = 0;
        for (Map.Entry<String, String> a : accepted.entrySet()) {
            String[] row = rows.get(a.getKey());
            if (row == null || !row[1].equals(collectedAt.toString())) {
                lost++;
                continue;
            }
            stored++;
            if (!a.getValue().equals(row[0])) {
                other++;
            }
            if (!evaluations.containsKey(a.getValue()) && !evaluations.containsKey(row[0])) {
                notEvaluated++;
            }
        }
        long unexpected = rows.keySet().stream().filter(m -> !accepted.containsKey(m)).count();
        long evalRecords = evaluations.values().stream().mapToLong(Integer::longValue).sum();
        long snapRecords = snapshots.values().stream().mapToLong(Integer::longValue).sum();
        return new Check(accepted.size(), stored, lost, other, unexpected, evalRecords, evaluations.size(),
                TopicScan.duplicates(evaluations), notEvaluated, snapRecords, TopicScan.duplicates(snapshots));
    }
}
