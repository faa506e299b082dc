package org.tlsrollout.chaos;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tlsrollout.contracts.Topics;

/** Whether every machine a wave targets got exactly one job, in the database and on the job-events topic. */
record WaveCheck(long targeted, long targetsIssued, long targetsSkipped, long jobs, long machinesWithoutJob,
        long machinesWithSeveralJobs, long issuedEventJobs, long issuedEventDuplicates, long eventJobsNotInTable,
        long jobsWithoutIssuedEvent, long outboxLeft) {

    boolean ok() {
        return machinesWithoutJob == 0 && machinesWithSeveralJobs == 0 && eventJobsNotInTable == 0
                && jobsWithoutIssuedEvent == 0 && targetsSkipped == 0;
    }

    static WaveCheck of(ChaosStack stack, Collection<String> waveIds) throws Exception {
        long targeted = 0;
        long issued = 0;
        long skipped = 0;
        long jobs = 0;
        long without = 0;
        long several = 0;
        Set<String> jobIds = new HashSet<>();
        Set<String> waves = new HashSet<>(waveIds);
        try (Connection c = stack.db()) {
            for (String w : waveIds) {
                targeted += one(c, "SELECT count(*) FROM wave_target WHERE wave_id = ?", w);
                issued += one(c, "SELECT count(*) FROM wave_target WHERE wave_id = ? AND state = 'ISSUED'", w);
                skipped += one(c, "SELECT count(*) FROM wave_target WHERE wave_id = ? AND state = 'SKIPPED'", w);
                jobs += one(c, "SELECT count(*) FROM job WHERE wave_id = ?", w);
                without += one(c, "SELECT count(*) FROM wave_target t WHERE t.wave_id = ? AND NOT EXISTS"
                        + " (SELECT 1 FROM job j WHERE j.wave_id = t.wave_id AND j.machine_id = t.machine_id)", w);
                several += one(c, "SELECT count(*) FROM (SELECT machine_id FROM job WHERE wave_id = ?"
                        + " GROUP BY machine_id HAVING count(*) > 1) x", w);
                try (PreparedStatement st = c.prepareStatement("SELECT id FROM job WHERE wave_id = ?")) {
                    st.setString(1, w);
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            jobIds.add(rs.getString(1));
                        }
                    }
                }
            }
        }
        long outbox = stack.count("SELECT count(*) FROM outbox");
        Map<String, Integer> events = TopicScan.countBy(stack.config, Topics.JOB_EVENTS,
                v -> "ISSUED".equals(v.path("kind").asText()) && waves.contains(v.path("waveId").asText())
                        ? v.path("jobId").asText() : null);
        long notInTable = events.keySet().stream().filter(id -> !jobIds.contains(id)).count();
        long noEvent = jobIds.stream().filter(id -> !events.containsKey(id)).count();
        return new WaveCheck(targeted, issued, skipped, jobs, without, several, events.size(),
                TopicScan.duplicates(events), notInTable, noEvent, outbox);
    }

    private static long one(Connection c, String sql, String arg) throws Exception {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "  machines targeted                 %d (ISSUED %d, SKIPPED %d)%n", targeted, targetsIssued,
                targetsSkipped);
        out.printf(Locale.ROOT, "  job rows                          %d%n", jobs);
        out.printf(Locale.ROOT, "  LOST: targeted machines, no job   %d%n", machinesWithoutJob);
        out.printf(Locale.ROOT, "  TWICE: machines with 2+ jobs      %d%n", machinesWithSeveralJobs);
        out.printf(Locale.ROOT, "  %s ISSUED events: %d job ids, %d at-least-once repeats of the same job id"
                + " (counted, allowed), %d job ids not in the job table, %d jobs without an ISSUED event (outbox rows"
                + " left: %d)%n", Topics.JOB_EVENTS, issuedEventJobs, issuedEventDuplicates, eventJobsNotInTable,
                jobsWithoutIssuedEvent, outboxLeft);
    }

    static List<String> list(String... ids) {
        return List.of(ids);
    }
}
