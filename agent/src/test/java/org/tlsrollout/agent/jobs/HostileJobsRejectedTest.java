package org.tlsrollout.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.agent.testing.RecordingHost;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;

/**
 * An agent rejects every hostile job and is changed by none, at volume: N jobs of each hostile kind (forged, tampered,
 * expired, replayed, for another machine, outside the allowlist, a value the allowlist pins otherwise, signed with an
 * unknown key) between N valid jobs, which are all applied. A hostile job counts only if REJECTED with the registry,
 * the host and the sequence unchanged. The jobs carry real ES256 signatures, made with Nimbus JOSE as
 * remediation-service signs them (the agent verifies with jose4j). {@link JobVerifierTest} has one case of each kind
 * with its reason.
 */
class HostileJobsRejectedTest {
    static final int N = 100;
    static final String MACHINE = "PC-R5.corp.example";
    static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");
    static final String TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);

    enum Kind { FORGED, TAMPERED, EXPIRED, REPLAYED, OTHER_MACHINE, OUTSIDE_ALLOWLIST, PINNED_VALUE, UNKNOWN_KEY }

    final ECKey trusted = TestJobs.newKey("job-key-1");
    final ECKey attacker = TestJobs.newKey("job-key-1");
    final ECKey unknown = TestJobs.newKey("job-key-9");
    final InMemoryRegistry registry = new InMemoryRegistry().put(TLS12_CLIENT, RegistryKeys.ENABLED, 0)
            .put(RegistryKeys.FIPS, RegistryKeys.ENABLED, 1);
    final InMemorySequenceStore sequence = new InMemorySequenceStore(0);
    final RecordingHost host = new RecordingHost();
    /** The estate's configured later rollup: allowed, but not any other KB. */
    static final String LATER_ROLLUP = "KB4025336";
    final JobHandler handler = new JobHandler(
            new JobVerifier(TrustedKeys.pinned(TestJobs.jwks(trusted)), MACHINE, sequence, Clock.fixed(NOW, ZoneOffset.UTC),
                    JobVerifier.DEFAULT_SKEW, JobClaims.ISSUER, java.util.Set.of(LATER_ROLLUP)),
            sequence, new JobApplier(registry, host, host, host, ActionHook.NONE, new InMemoryUndoLog(),
                    java.util.Set.of(LATER_ROLLUP)), new InMemoryResultStore());

    static JobClaims claims(String sub, long seq, long nbf, long exp, Action... actions) {
        return new JobClaims(JobClaims.ISSUER, sub, "job-" + seq + "-" + sub + "-" + nbf, NOW.getEpochSecond() - 5, nbf,
                exp, seq, "wave-r5", Phase.CLIENTS, "P01", List.of(RuleId.SCHANNEL_TLS12_CLIENT), List.of(actions));
    }

    /**
     * A valid job that writes WinHTTP's DefaultSecureProtocols, 0xA00 or 0xAA0 by {@code flip} (both allowed), so
     * that each applied job shows.
     */
    static JobClaims valid(long seq, long flip) {
        return claims(MACHINE, seq, NOW.getEpochSecond() - 60, NOW.getEpochSecond() + 3600,
                Action.setDword(TLS12_CLIENT, RegistryKeys.ENABLED, 1),
                Action.setDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, dsp(flip)),
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
    }

    static long dsp(long flip) {
        return flip == 0 ? 0xA00 : 0xAA0;
    }

    /**
     * Allowed values nowhere but in the wrong place (rules.md, "The allowlist pins values too"), each validly signed:
     * TLS 1.2 off, a legacy protocol on, strong crypto off, DefaultSecureProtocols without TLS 1.2 or with SSL 2.0,
     * an update that is neither the catalog's nor a configured later rollup.
     */
    static final Action[] PINNED = {
        Action.setDword(TLS12_CLIENT, RegistryKeys.ENABLED, 0),
        Action.setDword(RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.SERVER), RegistryKeys.DISABLED_BY_DEFAULT, 1),
        Action.setDword(RegistryKeys.schannel("TLS 1.0", RegistryKeys.SERVER), RegistryKeys.ENABLED, 1),
        Action.setDword(RegistryKeys.schannel("SSL 3.0", RegistryKeys.CLIENT), RegistryKeys.DISABLED_BY_DEFAULT, 0),
        Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 0),
        Action.setDword(RegistryKeys.NET2_WOW, RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS, 2),
        Action.setDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xA0),
        Action.setDword(RegistryKeys.WINHTTP_WOW, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xA08),
        Action.installUpdate("KB9999999"),
    };

    static final Action[] DISALLOWED = {
        Action.setDword(RegistryKeys.FIPS, RegistryKeys.ENABLED, 0),
        Action.restartService("W32Time"),
        Action.installSoftware("putty", "0.81"),
        Action.installUpdate("not-a-kb"),
    };

    /** One hostile job of this kind, the i-th; {@code lastValid} is the job applied just before it. */
    String hostile(Kind kind, int i, JobClaims lastValid, String lastValidJws) {
        long next = sequence.last() + 1;
        return switch (kind) {
            case FORGED -> TestJobs.sign(attacker, valid(next, i % 2));
            case TAMPERED -> {
                // Signed for another machine, then re-addressed to this one, or its value changed: signature kept.
                String jws = TestJobs.sign(trusted, i % 2 == 0 ? claims("PC-OTHER-" + i, next, NOW.getEpochSecond() - 60,
                        NOW.getEpochSecond() + 3600, Action.setDword(TLS12_CLIENT, RegistryKeys.ENABLED, 1)) : valid(next, 1));
                ObjectNode payload = TestJobs.payload(jws);
                if (i % 2 == 0) {
                    payload.put("sub", MACHINE);
                } else {
                    ((ObjectNode) payload.withArray("actions").get(0)).put("value", 7);
                }
                yield TestJobs.withPayload(jws, payload.toString());
            }
            case EXPIRED -> TestJobs.sign(trusted, claims(MACHINE, next, NOW.getEpochSecond() - 7200,
                    NOW.getEpochSecond() - 61 - i, Action.setDword(TLS12_CLIENT, RegistryKeys.ENABLED, 1)));
            case REPLAYED -> i % 2 == 0 ? lastValidJws
                    : TestJobs.sign(trusted, valid(Math.max(0, lastValid.seq() - i % 5), 1));
            case OTHER_MACHINE -> TestJobs.sign(trusted, claims("PC-" + i + ".corp.example", next,
                    NOW.getEpochSecond() - 60, NOW.getEpochSecond() + 3600, Action.setDword(TLS12_CLIENT,
                            RegistryKeys.ENABLED, 1)));
            case OUTSIDE_ALLOWLIST -> TestJobs.sign(trusted, claims(MACHINE, next, NOW.getEpochSecond() - 60,
                    NOW.getEpochSecond() + 3600, Action.setDword(TLS12_CLIENT, RegistryKeys.ENABLED, 1),
                    DISALLOWED[i % DISALLOWED.length]));
            case PINNED_VALUE -> TestJobs.sign(trusted, claims(MACHINE, next, NOW.getEpochSecond() - 60,
                    NOW.getEpochSecond() + 3600, Action.setDword(RegistryKeys.NET2, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                    Action.installUpdate(LATER_ROLLUP), PINNED[i % PINNED.length]));
            case UNKNOWN_KEY -> TestJobs.sign(unknown, valid(next, 1));
        };
    }

    @Test
    void everyHostileJobIsRejectedChangingNothingAndEveryValidJobIsApplied() {
        Map<Kind, Integer> rejected = new EnumMap<>(Kind.class);
        List<String> wrong = new ArrayList<>();
        int applied = 0;
        for (int i = 0; i < N; i++) {
            JobClaims job = valid(sequence.last() + 1, (i + 1) % 2);
            String jws = TestJobs.sign(trusted, job);
            HandledJob done = handler.handle(job.jti(), jws);
            if (done.result().outcome() == JobOutcome.SUCCEEDED && sequence.last() == job.seq()
                    && registry.readDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS).orElse(-1L) == dsp((i + 1) % 2)) {
                applied++;
            } else {
                wrong.add("valid job " + i + ": " + done.result());
            }
            for (Kind kind : Kind.values()) {
                String hostile = hostile(kind, i, job, jws);
                Map<String, Long> registryBefore = registry.asMap();
                long seqBefore = sequence.last();
                int hostCalls = host.calls.size();
                HandledJob h = handler.handle(null, hostile);
                boolean unchanged = registry.asMap().equals(registryBefore) && sequence.last() == seqBefore
                        && host.calls.size() == hostCalls;
                if (h.result().outcome() == JobOutcome.REJECTED && h.result().previousValues().isEmpty() && unchanged) {
                    rejected.merge(kind, 1, Integer::sum);
                } else {
                    wrong.add(kind + " " + i + ": " + h.result() + (unchanged ? "" : " and it changed the machine"));
                }
            }
        }
        int total = rejected.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("hostile jobs rejected=%d/%d applied=%d/%d %s%n", total, N * Kind.values().length, applied, N, rejected);

        assertThat(wrong).isEmpty();
        for (Kind kind : Kind.values()) {
            assertThat(rejected.getOrDefault(kind, 0)).as(kind.name()).isEqualTo(N);
        }
        assertThat(applied).isEqualTo(N);
        assertThat(sequence.last()).isEqualTo(N);
        assertThat(registry.readDword(RegistryKeys.FIPS, RegistryKeys.ENABLED)).hasValue(1);
    }
}
