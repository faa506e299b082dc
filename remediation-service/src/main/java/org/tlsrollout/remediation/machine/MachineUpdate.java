package org.tlsrollout.remediation.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.remediation.ingest.InvalidEvaluationException;

/**
 * One row of table {@code machine} as an evaluation sets it: checked and ready for {@link MachineStore}.
 *
 * @param findingsJson the results whose status is FAIL or UNKNOWN, as a JSON array of RuleResult
 */
public record MachineUpdate(
        String machineId,
        String siteCode,
        String machineClass,
        String osVersion,
        List<String> roles,
        Instant collectedAt,
        Instant receivedAt,
        Instant evaluatedAt,
        String snapshotId,
        Long sequence,
        Instant lastBootAt,
        String catalogVersion,
        Map<Phase, PhaseState> phases,
        String findingsJson) {

    /** snapshot.schema.json, "machineId". */
    public static final Pattern MACHINE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");
    /** snapshot.schema.json, "siteCode". */
    public static final Pattern SITE_CODE = Pattern.compile("^[A-Z0-9]{3}$");

    /** What PostgreSQL's timestamptz holds without doubt. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * The row an evaluation gives, or {@link InvalidEvaluationException} naming why it can never be applied.
     *
     * @param key the Kafka record key, which must be the machine id when present
     */
    public static MachineUpdate of(EvaluationEvent event, String key) {
        if (event == null) {
            throw new InvalidEvaluationException("the record holds no evaluation (null)");
        }
        String machineId = event.machineId();
        if (machineId == null || !MACHINE_ID.matcher(machineId).matches()) {
            throw new InvalidEvaluationException("machineId " + quote(machineId) + " does not match " + MACHINE_ID);
        }
        if (key != null && !key.equals(machineId)) {
            throw new InvalidEvaluationException("the record key " + quote(key) + " is not the machineId "
                    + quote(machineId) + " (records are keyed by machine id)");
        }
        if (event.siteCode() == null || !SITE_CODE.matcher(event.siteCode()).matches()) {
            throw new InvalidEvaluationException("siteCode " + quote(event.siteCode()) + " does not match " + SITE_CODE);
        }
        if (event.machineClass() == null) {
            throw new InvalidEvaluationException("machineClass is missing");
        }
        if (event.collectedAt() == null) {
            throw new InvalidEvaluationException("collectedAt is missing");
        }
        Instant collectedAt = timestamp("collectedAt", event.collectedAt());
        List<RuleResult> results = event.results() == null ? List.of() : event.results();
        for (RuleResult result : results) {
            if (result == null) {
                throw new InvalidEvaluationException("results holds a null entry");
            }
        }
        List<RuleResult> all = event.isCompact() ? expand(event, results) : results;
        return new MachineUpdate(
                machineId,
                event.siteCode(),
                event.machineClass().wireName(),
                event.osVersion(),
                event.roles() == null ? List.of() : event.roles().stream().filter(Objects::nonNull).map(Role::name).toList(),
                collectedAt,
                timestamp("receivedAt", event.receivedAt()),
                timestamp("evaluatedAt", event.evaluatedAt()),
                event.snapshotId(),
                event.sequence(),
                timestamp("lastBootAt", event.lastBootAt()),
                event.catalogVersion(),
                phases(event.phases(), all),
                findings(results));
    }

    /**
     * The phase states as sent. A phase the event leaves out gets the state its ERROR results give
     * ({@link PhaseState#of}); the states that only remediation-service derives cannot come from an evaluation.
     */
    private static Map<Phase, PhaseState> phases(Map<Phase, PhaseState> sent, List<RuleResult> results) {
        Map<Phase, PhaseState> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            PhaseState state = sent == null ? null : sent.get(phase);
            if (state == null) {
                state = PhaseState.of(phase, results);
            }
            if (state == PhaseState.STALE || state == PhaseState.PENDING_RESTART) {
                throw new InvalidEvaluationException("phases." + phase + " is " + state
                        + ", a state that only remediation-service derives");
            }
            phases.put(phase, state);
        }
        return phases;
    }

    /**
     * The compact form (api.md) as the full one: every rule of {@code passed} a PASS, of {@code notApplicable} a
     * NOT_APPLICABLE, each in the phase it has on a machine of the event's class, so that a phase the event leaves out
     * gets the same state from both forms. A rule named twice (in results, passed or notApplicable) is refused.
     */
    private static List<RuleResult> expand(EvaluationEvent event, List<RuleResult> results) {
        List<RuleResult> all = new ArrayList<>(results);
        Set<RuleId> named = EnumSet.noneOf(RuleId.class);
        for (RuleResult r : results) {
            if (r.ruleId() != null && !named.add(r.ruleId())) {
                throw new InvalidEvaluationException("results names " + r.ruleId() + " twice");
            }
        }
        for (RuleStatus status : List.of(RuleStatus.PASS, RuleStatus.NOT_APPLICABLE)) {
            List<RuleId> ids = status == RuleStatus.PASS ? event.passed() : event.notApplicable();
            String field = status == RuleStatus.PASS ? "passed" : "notApplicable";
            for (RuleId id : ids == null ? List.<RuleId>of() : ids) {
                if (id == null) {
                    throw new InvalidEvaluationException(field + " holds a null entry");
                }
                if (!named.add(id)) {
                    throw new InvalidEvaluationException(field + " names " + id + ", which the evaluation names already");
                }
                all.add(new RuleResult(id, status, id.severity(), id.phaseFor(event.machineClass()), null, null, List.of()));
            }
        }
        return all;
    }

    private static String findings(List<RuleResult> results) {
        List<RuleResult> findings = results.stream()
                .filter(r -> r.status() == RuleStatus.FAIL || r.status() == RuleStatus.UNKNOWN)
                .toList();
        try {
            return Json.MAPPER.writeValueAsString(findings);
        } catch (JsonProcessingException e) {
            throw new InvalidEvaluationException("the findings cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant timestamp(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            throw new InvalidEvaluationException(field + " " + value + " is outside the years 0001 to 9999");
        }
        return value;
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return "'" + (value.length() > 140 ? value.substring(0, 140) + "..." : value) + "'";
    }
}
