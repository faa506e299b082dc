package org.tlsrollout.remediation.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.remediation.Wave;
import org.tlsrollout.remediation.config.RemediationConfig;
import org.tlsrollout.remediation.outbox.Outbox;
import org.tlsrollout.remediation.Ids;
import org.tlsrollout.remediation.wave.WaveEngine;

/**
 * Issues the jobs of some targets of a wave's current batch, on the caller's connection and in its transaction (one
 * chunk of a batch, see {@link WaveEngine}):
 * <ol>
 * <li>the targets that already have their job of this batch are only marked (a batch issued twice issues nothing
 * twice);</li>
 * <li>the others' {@code machine_job_seq.job_seq} is bumped in one upsert, their seq rows locked in id order, which
 * also returns their findings;</li>
 * <li>each job is planned ({@link JobPlanner}: from the FAIL results of the wave's phase, or, for a rollback wave,
 * an UNDO_JOB of each job the machine succeeded in the rolled-back wave), checked against the agent allowlist, and signed, all in
 * parts on the signer's threads (every core) while this thread stores the parts already done; a target with
 * nothing to do, or whose job the allowlist refuses (values included; the configured later rollups allowed), or
 * that an evaluation asks an action its rule's catalog does not name for, is SKIPPED with the reason;</li>
 * <li>the jobs are stored by one {@code COPY} (the job rows found in 1. are not issued again; the wave's row lock,
 * held by every issuer of the wave, keeps another from storing one meanwhile, and {@code job_once_per_batch} would
 * fail the whole chunk rather than store a second), and their ISSUED events go to the outbox;</li>
 * <li>the targets are marked ISSUED or SKIPPED.</li>
 * </ol>
 * Everything commits together or not at all: a crash before the commit leaves the targets PENDING and nothing
 * issued, and the next pass issues them; after it, they are ISSUED and their events wait in the outbox.
 */
@ApplicationScoped
public class JobIssuer {
    private static final Logger LOG = Logger.getLogger(JobIssuer.class);
    private static final TypeReference<List<RuleResult>> FINDINGS = new TypeReference<>() { };

    /**
     * Bumps the seq of those of the machines that have a row in {@code machine} (in id order, so that two issuers
     * lock their seq rows in the same order) and returns what a job needs of them. A HOT update of a narrow row;
     * the machine row itself is only read, as of the statement's snapshot.
     */
    static final String BUMP_SEQ = """
            WITH bumped AS (
                INSERT INTO machine_job_seq AS s (machine_id, job_seq)
                SELECT machine_id, 1 FROM machine WHERE machine_id = ANY(?) AND retired_at IS NULL AND NOT never_reported
                ORDER BY machine_id
                ON CONFLICT (machine_id) DO UPDATE SET job_seq = s.job_seq + 1
                RETURNING s.machine_id, s.job_seq)
            SELECT b.machine_id, b.job_seq, m.site_code, m.os_version, m.findings::text
            FROM bumped b JOIN machine m ON m.machine_id = b.machine_id
            """;

    /**
     * The chunk's job rows, streamed as COPY text while the later parts are still being signed. COPY has no
     * {@code ON CONFLICT}: a job of this batch already stored is found first ({@link #existingJobs}) under the wave's
     * row lock, which every issuer of the wave holds; {@code job_once_per_batch} still refuses a second one (the
     * chunk then rolls back whole).
     */
    static final String COPY_JOBS = "COPY job (id, wave_id, machine_id, batch, seq, phase, site_code, rules, actions,"
            + " kid, jws, state, restart, issued_at, expires_at) FROM STDIN";

    static final String MARK_TARGETS = """
            UPDATE wave_target t SET state = u.state, detail = u.detail
            FROM unnest(?::text[], ?::text[], ?::text[]) AS u(machine_id, state, detail)
            WHERE t.wave_id = ? AND t.machine_id = u.machine_id
            """;

    /** Characters of COPY rows sent at once: small buffers, not one of megabytes per part (a large heap object). */
    private static final int COPY_BUFFER = 32_768;

    /** Jobs signed per part: the first part is stored while the next ones are signed. */
    static final int SIGNING_PART = 200;

    private final JobSigner signer;
    private final JobMarks jobMarks;
    private final RemediationConfig.Jobs config;
    private final Set<String> laterRollups;

    public JobIssuer(JobSigner signer, JobMarks jobMarks, RemediationConfig config) {
        this.signer = signer;
        this.jobMarks = jobMarks;
        this.config = config.jobs();
        this.laterRollups = config.laterRollups().orElse(List.of()).stream()
                .map(kb -> kb.trim().toUpperCase(java.util.Locale.ROOT)).filter(kb -> !kb.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * What a chunk did.
     *
     * @param issued jobs inserted (their events are in the outbox)
     * @param skipped targets that got no job
     * @param events the ISSUED events of the jobs inserted
     */
    public record Issued(int issued, int skipped, List<JobEvent> events) {
    }

    /** Issues the jobs of {@code machineIds}, targets of {@code wave}'s current batch, in the caller's transaction. */
    public Issued issue(Connection c, Wave wave, List<String> machineIds, Instant now) throws SQLException {
        long t0 = System.nanoTime();
        int batch = wave.currentBatch();
        Map<String, String[]> marks = new LinkedHashMap<>();
        Set<String> already = existingJobs(c, wave.id(), batch, machineIds);
        for (String id : already) {
            marks.put(id, new String[] {"ISSUED", null});
        }
        List<String> todo = machineIds.stream().filter(id -> !already.contains(id)).toList();
        Map<String, Target> targets = bumpSeq(c, todo);
        Map<String, RolledBack> rolledBack = wave.rollbackOf() == null ? Map.of()
                : rolledBack(c, wave.rollbackOf(), targets.keySet());

        Instant iat = now.truncatedTo(ChronoUnit.SECONDS);
        Instant exp = iat.plus(config.ttl());
        List<Target> found = new ArrayList<>(todo.size());
        for (String id : todo) {
            Target target = targets.get(id);
            if (target == null) {
                marks.put(id, new String[] {"SKIPPED", "no evaluation of this machine is stored, or it is retired"});
            } else {
                found.add(target);
            }
        }

        // Planned and signed in parts on the signer's threads (every core) while this one streams the parts done into
        // one COPY; every row is stored or the COPY, and with it the chunk, fails.
        List<JobClaims> claims = new ArrayList<>(found.size());
        List<CompletableFuture<List<Prepared>>> parts = signer.inParts(found, SIGNING_PART,
                target -> prepare(wave, target, rolledBack.get(target.machineId()), iat, exp));
        CopyIn copy = found.isEmpty() ? null : c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_JOBS);
        try {
            Fixed fixed = new Fixed(wave.id(), wave.currentBatch(), wave.phase().name(), signer.kid(), iat, exp);
            StringBuilder rows = new StringBuilder(COPY_BUFFER + 8_192);
            for (CompletableFuture<List<Prepared>> part : parts) {
                for (Prepared p : done(part)) {
                    if (p.skipped() != null) {
                        marks.put(p.machineId(), new String[] {"SKIPPED", p.skipped()});
                    } else {
                        claims.add(p.claims());
                        copyRow(rows, p, fixed);
                        if (rows.length() >= COPY_BUFFER) {
                            send(copy, rows);
                        }
                    }
                }
                if (!rows.isEmpty()) {
                    send(copy, rows);
                }
            }
            long stored = copy == null ? 0 : copy.endCopy();
            if (stored != claims.size()) {
                throw new IllegalStateException("COPY stored " + stored + " of " + claims.size() + " jobs");
            }
        } finally {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
        }
        List<JobEvent> events = new ArrayList<>(claims.size());
        for (JobClaims job : claims) {
            jobMarks.mark(job.sub()); // before the commit: this instance's polls see the job as soon as it is stored
            marks.put(job.sub(), new String[] {"ISSUED", null});
            events.add(new JobEvent(Ids.timeOrdered(), JobEvent.Kind.ISSUED, job.jti(), wave.id(),
                    job.sub(), job.siteCode(), job.phase(), job.seq(), job.rules(), iat, null));
        }
        Outbox.add(c, events);
        markTargets(c, wave.id(), marks);
        int skipped = (int) marks.values().stream().filter(m -> m[0].equals("SKIPPED")).count();
        LOG.debugf("wave %s batch %d: %d jobs issued, %d targets skipped in %d ms", wave.id(), batch, events.size(),
                skipped, (System.nanoTime() - t0) / 1_000_000);
        return new Issued(events.size(), skipped, events);
    }

    /**
     * One target's job, planned, checked against the allowlist and signed; or, in {@code skipped}, why it gets none.
     * Runs on the signer's threads: touches nothing but its arguments.
     */
    private record Prepared(String machineId, String skipped, JobClaims claims, String jws, String actionsJson,
            boolean restart) {
    }

    private Prepared prepare(Wave wave, Target target, RolledBack original, Instant iat, Instant exp) {
        String id = target.machineId();
        JobPlanner.Plan plan;
        try {
            plan = wave.rollbackOf() == null ? fixPlan(wave, target) : rollbackPlan(wave, target, original);
        } catch (RuntimeException e) {
            LOG.warnf("no job for machine %s in wave %s: %s", id, wave.id(), e.getMessage());
            return skipped(id, "its job cannot be planned: " + e.getMessage());
        }
        Optional<String> refusal = plan.refusal(laterRollups);
        if (refusal.isPresent()) {
            LOG.errorf("refusing to sign a job for machine %s in wave %s: %s", id, wave.id(), refusal.get());
            return skipped(id, "not signed: " + refusal.get());
        }
        if (plan.isEmpty()) {
            return skipped(id, wave.rollbackOf() == null
                    ? "nothing to do: no FAIL result of " + wave.phase() + " with remediation actions"
                    : "nothing to undo: the machine succeeded no job of the rolled-back wave");
        }
        JobClaims claims = new JobClaims(JobClaims.ISSUER, id, Ids.timeOrdered(), iat.getEpochSecond(),
                iat.minus(config.notBeforeSkew()).getEpochSecond(), exp.getEpochSecond(), target.seq(), wave.id(),
                wave.phase(), target.siteCode(), plan.rules(), plan.actions());
        try {
            return new Prepared(id, null, claims, signer.sign(claims), Json.MAPPER.writeValueAsString(claims.actions()),
                    plan.restart());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the actions of job " + claims.jti() + " cannot be written: " + e, e);
        }
    }

    private static Prepared skipped(String machineId, String why) {
        return new Prepared(machineId, why, null, null, null, false);
    }

    private static <T> T done(CompletableFuture<T> part) {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signing jobs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot sign jobs: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static JobPlanner.Plan fixPlan(Wave wave, Target target) {
        List<RuleResult> findings;
        try {
            findings = Json.MAPPER.readValue(target.findings(), FINDINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("its findings cannot be read: " + e.getOriginalMessage(), e);
        }
        return JobPlanner.fix(wave.phase(), findings);
    }

    private static JobPlanner.Plan rollbackPlan(Wave wave, Target target, RolledBack original) {
        if (original == null) {
            return new JobPlanner.Plan(List.of(), List.of(), false);
        }
        return JobPlanner.rollback(original.rules(), original.jobIds(),
                "rollback of wave " + wave.rollbackOf() + ": the restored registry values take effect after a restart");
    }

    private record Target(String machineId, long seq, String siteCode, String osVersion, String findings) {
    }

    /** The jobs a machine succeeded in the rolled-back wave, newest first, and their rules. */
    private record RolledBack(List<RuleId> rules, List<String> jobIds) {
    }

    private static Set<String> existingJobs(Connection c, String waveId, int batch, List<String> machineIds)
            throws SQLException {
        Set<String> ids = new HashSet<>();
        // One lookup of job_once_per_batch (machine_id, wave_id, batch) per machine, whatever the number of jobs the
        // wave has already. Written as a LATERAL ... LIMIT 1 on the machine, because with EXISTS the generic plan of
        // the prepared statement could read every job of the wave by job_wave_batch_idx (and each one's row) for
        // each chunk (docs/decisions.md, "remediation-service's hot paths").
        try (PreparedStatement select = c.prepareStatement("SELECT u.machine_id FROM unnest(?::text[]) AS u(machine_id)"
                + " CROSS JOIN LATERAL (SELECT 1 FROM job j WHERE j.machine_id = u.machine_id AND j.wave_id = ?"
                + " AND j.batch = ? LIMIT 1) AS found")) {
            select.setArray(1, c.createArrayOf("text", machineIds.toArray()));
            select.setString(2, waveId);
            select.setInt(3, batch);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static Map<String, Target> bumpSeq(Connection c, List<String> machineIds) throws SQLException {
        Map<String, Target> targets = new HashMap<>(machineIds.size() * 2);
        if (machineIds.isEmpty()) {
            return targets;
        }
        try (PreparedStatement update = c.prepareStatement(BUMP_SEQ)) {
            update.setArray(1, c.createArrayOf("text", machineIds.toArray()));
            try (ResultSet rs = update.executeQuery()) {
                while (rs.next()) {
                    targets.put(rs.getString(1), new Target(rs.getString(1), rs.getLong(2), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
        }
        return targets;
    }

    /**
     * The jobs of the rolled-back wave these machines reported SUCCEEDED, newest (highest seq) first: what their
     * rollback undoes. Reported previous values play no part (audit trail only).
     */
    private static Map<String, RolledBack> rolledBack(Connection c, String waveId, Set<String> machineIds)
            throws SQLException {
        Map<String, List<String>> ids = new HashMap<>();
        Map<String, Set<RuleId>> rules = new HashMap<>();
        if (machineIds.isEmpty()) {
            return Map.of();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT machine_id, id, rules FROM job"
                + " WHERE wave_id = ? AND machine_id = ANY(?) AND state = 'SUCCEEDED' ORDER BY machine_id, seq DESC")) {
            select.setString(1, waveId);
            select.setArray(2, c.createArrayOf("text", machineIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String machine = rs.getString(1);
                    ids.computeIfAbsent(machine, m -> new ArrayList<>()).add(rs.getString(2));
                    Set<RuleId> of = rules.computeIfAbsent(machine, m -> new java.util.LinkedHashSet<>());
                    for (String rule : (String[]) rs.getArray(3).getArray()) {
                        of.add(RuleId.valueOf(rule));
                    }
                }
            }
        }
        Map<String, RolledBack> jobs = new HashMap<>();
        ids.forEach((machine, list) -> jobs.put(machine, new RolledBack(List.copyOf(rules.get(machine)), list)));
        return jobs;
    }

    /** The columns every job of a chunk shares, as COPY text. */
    private record Fixed(String waveId, int batch, String phase, String kid, Instant iat, Instant exp) {
        Fixed {
            waveId = escape(waveId);
            kid = escape(kid);
        }
    }

    /** One job row of {@link #COPY_JOBS} in COPY's text format (an Instant's ISO form is a timestamptz). */
    private static void copyRow(StringBuilder out, Prepared p, Fixed f) {
        JobClaims job = p.claims();
        out.append(job.jti()).append('\t').append(f.waveId()).append('\t');
        escape(out, job.sub());
        out.append('\t').append(f.batch()).append('\t').append(job.seq()).append('\t').append(f.phase()).append('\t');
        escape(out, job.siteCode());
        out.append("\t{");
        for (int i = 0; i < job.rules().size(); i++) {
            out.append(i == 0 ? "" : ",").append(job.rules().get(i).name());
        }
        out.append("}\t");
        escape(out, p.actionsJson());
        out.append('\t').append(f.kid()).append('\t');
        escape(out, p.jws());
        out.append("\tISSUED\t").append(p.restart() ? 't' : 'f').append('\t').append(f.iat()).append('\t')
                .append(f.exp()).append('\n');
    }

    /** Sends the rows to the chunk's COPY and empties the buffer. */
    private static void send(CopyIn copy, StringBuilder rows) throws SQLException {
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        rows.setLength(0);
    }

    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        escape(out, value);
        return out.toString();
    }

    /** A text value as COPY's text format reads it: backslash, tab, newline and carriage return escaped. */
    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

    private static void markTargets(Connection c, String waveId, Map<String, String[]> marks) throws SQLException {
        if (marks.isEmpty()) {
            return;
        }
        int n = marks.size();
        String[] ids = new String[n];
        String[] states = new String[n];
        String[] details = new String[n];
        int i = 0;
        for (Map.Entry<String, String[]> mark : marks.entrySet()) {
            ids[i] = mark.getKey();
            states[i] = mark.getValue()[0];
            details[i] = mark.getValue()[1];
            i++;
        }
        try (PreparedStatement update = c.prepareStatement(MARK_TARGETS)) {
            update.setArray(1, c.createArrayOf("text", ids));
            update.setArray(2, c.createArrayOf("text", states));
            update.setArray(3, c.createArrayOf("text", details));
            update.setString(4, waveId);
            update.executeUpdate();
        }
    }
}
