package org.tlsrollout.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.agent.jobs.Verification.Reason;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.agent.testing.RecordingHost;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;

/**
 * Jobs signed with Nimbus JOSE (another implementation than the agent's jose4j): every forged, altered, stale,
 * replayed, misaddressed or disallowed job is REJECTED with its reason and changes nothing; a valid one is
 * applied and reports the previous values.
 */
class JobVerifierTest {
    static final String MACHINE = "PC-0142.corp.example";
    static final Instant NOW = Instant.parse("2026-11-19T09:30:00Z");
    static final String TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final ECKey trusted = TestJobs.newKey("job-key-1");
    final TrustedKeys keys = TrustedKeys.pinned(TestJobs.jwks(trusted));

    InMemoryRegistry registry;
    InMemorySequenceStore sequence;
    RecordingHost host;
    InMemoryResultStore results;
    JobHandler handler;
    Map<String, Long> registryBefore;

    @BeforeEach
    void setUp() {
        registry = new InMemoryRegistry()
                .put(TLS12_CLIENT, RegistryKeys.ENABLED, 0)
                .put(RegistryKeys.FIPS, RegistryKeys.ENABLED, 1);
        registryBefore = registry.asMap();
        sequence = new InMemorySequenceStore(7);
        host = new RecordingHost();
        results = new InMemoryResultStore();
        handler = handler(sequence);
    }

    JobHandler handler(SequenceStore s) {
        return new JobHandler(new JobVerifier(keys, MACHINE, s, clock), s,
                new JobApplier(registry, host, host, host, ActionHook.NONE), results);
    }

    static JobClaims claims(String sub, long seq, long nbf, long exp, Action... actions) {
        return new JobClaims(JobClaims.ISSUER, sub, "job-" + seq + "-" + sub, NOW.getEpochSecond() - 5, nbf, exp, seq,
                "wave-7", Phase.CLIENTS, "P01", List.of(RuleId.DOTNET_STRONG_CRYPTO, RuleId.SCHANNEL_TLS12_CLIENT),
                List.of(actions));
    }

    static JobClaims valid(long seq) {
        return claims(MACHINE, seq, NOW.getEpochSecond() - 60, NOW.getEpochSecond() + 3600,
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                Action.setDword(TLS12_CLIENT, RegistryKeys.ENABLED, 1),
                Action.restart("TLS 1.2 client settings"));
    }

    @Test
    void validJobIsAppliedAndReportsPreviousValues() {
        JobClaims job = valid(8);
        String jws = TestJobs.sign(trusted, job);

        Verification v = handler.verify(job.jti(), jws);
        assertThat(v).isInstanceOf(Verification.Verified.class);
        assertThat(((Verification.Verified) v).claims()).isEqualTo(job);

        HandledJob handled = handler.handle(job.jti(), jws);
        assertThat(handled.result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(handled.result().previousValues()).containsExactly(
                new PreviousValue(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, null),
                new PreviousValue(TLS12_CLIENT, RegistryKeys.ENABLED, 0L));
        assertThat(registry.readDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO)).hasValue(1);
        assertThat(registry.readDword(TLS12_CLIENT, RegistryKeys.ENABLED)).hasValue(1);
        assertThat(handled.restartReason()).isEqualTo("TLS 1.2 client settings");
        assertThat(handled.snapshotRequested()).isTrue();
        assertThat(host.pendingReboot).isTrue();
        assertThat(sequence.last()).isEqualTo(8);
        assertThat(results.get(job.jti())).contains(handled.result());
    }

    @Test
    void theSameJobTwiceIsAppliedOnce() {
        JobClaims job = valid(8);
        String jws = TestJobs.sign(trusted, job);
        assertThat(handler.handle(job.jti(), jws).result().outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        registryBefore = registry.asMap();
        host.calls.clear();
        host.pendingReboot = false;

        assertRejected(job.jti(), jws, Reason.REPLAYED);
    }

    @Test
    void aCrashWhileApplyingLeavesAFailedResultToDeliverNotAReplayToReport() {
        JobClaims job = valid(8);
        JobHandler crashing = new JobHandler(new JobVerifier(keys, MACHINE, sequence, clock), sequence,
                new JobApplier(registry, host, host, host, (j, i, a) -> {
                    if (i == 1) {
                        throw new StackOverflowError("the process dies here");
                    }
                }), results);

        assertThatThrownBy(() -> crashing.handle(job.jti(), TestJobs.sign(trusted, job)))
                .isInstanceOf(StackOverflowError.class);

        assertThat(sequence.last()).isEqualTo(8);
        assertThat(results.get(job.jti())).hasValueSatisfying(r -> {
            assertThat(r.outcome()).isEqualTo(JobOutcome.FAILED);
            assertThat(r.detail()).isEqualTo(JobHandler.INTERRUPTED);
        });
    }

    @Test
    void forgedJobSignedByAnUntrustedKeyUnderATrustedKidIsRejected() {
        ECKey attacker = TestJobs.newKey("job-key-1");
        assertRejected(null, TestJobs.sign(attacker, valid(8)), Reason.BAD_SIGNATURE);
    }

    @Test
    void tamperedPayloadIsRejected() {
        String jws = TestJobs.sign(trusted, valid(8));
        ObjectNode payload = TestJobs.payload(jws);
        ((ObjectNode) payload.withArray("actions").get(1)).put("value", 0);
        assertRejected(null, TestJobs.withPayload(jws, payload.toString()), Reason.BAD_SIGNATURE);
    }

    @Test
    void tamperedSubjectIsRejected() {
        String jws = TestJobs.sign(trusted, claims("PC-9999.corp.example", 8, NOW.getEpochSecond() - 60,
                NOW.getEpochSecond() + 3600, Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1)));
        ObjectNode payload = TestJobs.payload(jws);
        payload.put("sub", MACHINE);
        assertRejected(null, TestJobs.withPayload(jws, payload.toString()), Reason.BAD_SIGNATURE);
    }

    @Test
    void expiredJobIsRejected() {
        JobClaims job = claims(MACHINE, 8, NOW.getEpochSecond() - 7200, NOW.getEpochSecond() - 61,
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        assertRejected(null, TestJobs.sign(trusted, job), Reason.EXPIRED);
    }

    @Test
    void jobJustExpiredWithinTheClockSkewIsAccepted() {
        JobClaims job = claims(MACHINE, 8, NOW.getEpochSecond() - 7200, NOW.getEpochSecond() - 30,
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        assertThat(handler.verify(null, TestJobs.sign(trusted, job))).isInstanceOf(Verification.Verified.class);

        JobVerifier strict = new JobVerifier(keys, MACHINE, sequence, clock, Duration.ZERO, JobClaims.ISSUER);
        assertThat(strict.verify(TestJobs.sign(trusted, job)))
                .isEqualTo(new Verification.Rejected(Reason.EXPIRED, "exp " + (NOW.getEpochSecond() - 30)
                        + " is not after now " + NOW.getEpochSecond() + " (skew 0 s)"));
    }

    @Test
    void notYetValidJobIsRejected() {
        JobClaims job = claims(MACHINE, 8, NOW.getEpochSecond() + 600, NOW.getEpochSecond() + 7200,
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        assertRejected(null, TestJobs.sign(trusted, job), Reason.NOT_YET_VALID);
    }

    @Test
    void replayedOrOlderSeqIsRejected() {
        assertRejected(null, TestJobs.sign(trusted, valid(7)), Reason.REPLAYED);
        assertRejected(null, TestJobs.sign(trusted, valid(3)), Reason.REPLAYED);
    }

    @Test
    void replayIsRejectedAfterTheSequenceStoreRestartsFromDisk(@TempDir Path state) {
        Path file = state.resolve("job.seq");
        FileSequenceStore store = new FileSequenceStore(file);
        JobClaims first = valid(8);
        assertThat(handler(store).handle(first.jti(), TestJobs.sign(trusted, first)).result().outcome())
                .isEqualTo(JobOutcome.SUCCEEDED);
        registryBefore = registry.asMap();
        host.calls.clear();
        host.pendingReboot = false;

        FileSequenceStore restarted = new FileSequenceStore(file);
        assertThat(restarted.last()).isEqualTo(8);
        handler = handler(restarted);
        sequence = null;
        assertRejected(null, TestJobs.sign(trusted, valid(8)), Reason.REPLAYED);
        assertRejected(null, TestJobs.sign(trusted, valid(5)), Reason.REPLAYED);
        assertThat(restarted.last()).isEqualTo(8);
    }

    @Test
    void jobForAnotherMachineIsRejected() {
        JobClaims job = claims("PC-9999.corp.example", 8, NOW.getEpochSecond() - 60, NOW.getEpochSecond() + 3600,
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        assertRejected(null, TestJobs.sign(trusted, job), Reason.OTHER_MACHINE);
    }

    @Test
    void unknownKidIsRejected() {
        assertRejected(null, TestJobs.sign(TestJobs.newKey("job-key-2"), valid(8)), Reason.UNKNOWN_KEY);
    }

    @Test
    void headerValuesOfAnUnverifiedJobAreReportedPrintableAndShort() {
        String kid = "evil\r\n2026-11-19 INFO agent: job applied\u001b[2J" + "x".repeat(500);
        String jws = TestJobs.sign(TestJobs.newKey(kid), valid(8));
        Verification v = handler.verify(null, jws);
        String message = ((Verification.Rejected) v).message();
        assertThat(message).doesNotContain("\r", "\n", "\u001b").doesNotContain("x".repeat(65)).contains("evil??2026", "...");
        assertRejected(null, jws, Reason.UNKNOWN_KEY);
    }

    @Test
    void aLaterRollupIsAllowedOnlyWhenTheEstateConfiguresIt() {
        JobClaims job = claims(MACHINE, 8, NOW.getEpochSecond() - 60, NOW.getEpochSecond() + 3600,
                Action.installUpdate("KB4025336"));
        assertRejected(null, TestJobs.sign(trusted, job), Reason.NOT_ALLOWED);

        JobVerifier configured = new JobVerifier(keys, MACHINE, sequence, clock, JobVerifier.DEFAULT_SKEW,
                JobClaims.ISSUER, java.util.Set.of("KB4025336"));
        assertThat(configured.verify(null, TestJobs.sign(trusted, job))).isInstanceOf(Verification.Verified.class);
    }

    @Test
    void missingKidIsRejected() {
        assertRejected(null, TestJobs.sign(trusted, TestJobs.json(valid(8)), h -> h.keyID(null)), Reason.UNKNOWN_KEY);
    }

    @Test
    void algNoneIsRejected() {
        assertRejected(null, TestJobs.unsigned("job-key-1", valid(8)), Reason.ALGORITHM);
    }

    @Test
    void hs256SignedWithThePublicKeyIsRejected() {
        assertRejected(null, TestJobs.signHs256WithPublicKey(trusted, valid(8)), Reason.ALGORITHM);
    }

    @Test
    void rs256IsRejected() {
        assertRejected(null, TestJobs.signRs256("job-key-1", valid(8)), Reason.ALGORITHM);
    }

    @Test
    void wrongOrMissingTypIsRejected() {
        assertRejected(null, TestJobs.sign(trusted, TestJobs.json(valid(8)), h -> h.type(JOSEObjectType.JWT)),
                Reason.TYPE);
        assertRejected(null, TestJobs.sign(trusted, TestJobs.json(valid(8)), h -> h.type(null)), Reason.TYPE);
    }

    @Test
    void typWithMediaTypePrefixIsAccepted() {
        String jws = TestJobs.sign(trusted, TestJobs.json(valid(8)),
                h -> h.type(new JOSEObjectType("application/" + JobClaims.TYPE)));
        assertThat(handler.verify(null, jws)).isInstanceOf(Verification.Verified.class);
    }

    @Test
    void fipsWriteIsOutsideTheAllowlist() {
        JobClaims job = claims(MACHINE, 8, NOW.getEpochSecond() - 60, NOW.getEpochSecond() + 3600,
                Action.setDword(RegistryKeys.FIPS, RegistryKeys.ENABLED, 0));
        assertRejected(null, TestJobs.sign(trusted, job), Reason.NOT_ALLOWED);
    }

    @Test
    void restartingAnotherServiceIsOutsideTheAllowlist() {
        JobClaims job = claims(MACHINE, 8, NOW.getEpochSecond() - 60, NOW.getEpochSecond() + 3600,
                Action.restartService("W32Time"));
        assertRejected(null, TestJobs.sign(trusted, job), Reason.NOT_ALLOWED);
    }

    @Test
    void oneDisallowedActionRejectsTheWholeJobBeforeAnyWrite() {
        JobClaims job = claims(MACHINE, 8, NOW.getEpochSecond() - 60, NOW.getEpochSecond() + 3600,
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1),
                Action.installSoftware("putty", "0.81"));
        assertRejected(null, TestJobs.sign(trusted, job), Reason.NOT_ALLOWED);
    }

    @Test
    void unknownActionTypeIsOutsideTheAllowlist() {
        ObjectNode payload = (ObjectNode) org.tlsrollout.contracts.Json.MAPPER.valueToTree(valid(8));
        ((ObjectNode) payload.withArray("actions").get(0)).put("type", "RUN_SCRIPT").put("script", "format c:");
        assertRejected(null, TestJobs.sign(trusted, payload.toString(), h -> { }), Reason.NOT_ALLOWED);
    }

    @Test
    void jobPolledUnderAnotherIdIsRejected() {
        assertRejected("job-other", TestJobs.sign(trusted, valid(8)), Reason.JOB_ID);
    }

    @Test
    void jobOfAnotherIssuerIsRejected() {
        JobClaims v = valid(8);
        JobClaims job = new JobClaims("someone-else", v.sub(), v.jti(), v.iat(), v.nbf(), v.exp(), v.seq(), v.wave(),
                v.phase(), v.siteCode(), v.rules(), v.actions());
        assertRejected(null, TestJobs.sign(trusted, job), Reason.ISSUER);
    }

    @Test
    void malformedJobsAreRejected() {
        assertRejected(null, "not-a-jws", Reason.MALFORMED);
        assertRejected(null, "", Reason.MALFORMED);
        assertRejected(null, TestJobs.sign(trusted, "[1,2,3]", h -> { }), Reason.MALFORMED);
        ObjectNode noSeq = (ObjectNode) org.tlsrollout.contracts.Json.MAPPER.valueToTree(valid(8));
        noSeq.remove("seq");
        assertRejected(null, TestJobs.sign(trusted, noSeq.toString(), h -> { }), Reason.MALFORMED);
    }

    @Test
    void ruleIdsOfANewerCatalogDoNotMakeAJobUnreadable() {
        ObjectNode payload = (ObjectNode) org.tlsrollout.contracts.Json.MAPPER.valueToTree(valid(8));
        payload.withArray("rules").add("TLS13_SOMETHING_NEW");
        Verification v = handler.verify(null, TestJobs.sign(trusted, payload.toString(), h -> { }));
        assertThat(v).isInstanceOf(Verification.Verified.class);
        assertThat(((Verification.Verified) v).claims().rules())
                .containsExactly(RuleId.DOTNET_STRONG_CRYPTO, RuleId.SCHANNEL_TLS12_CLIENT);
    }

    /** Rejected for this reason, reported REJECTED with it, and nothing changed. */
    private void assertRejected(String jobId, String jws, Reason reason) {
        Verification v = handler.verify(jobId, jws);
        assertThat(v).isInstanceOf(Verification.Rejected.class);
        assertThat(((Verification.Rejected) v).reason()).as(((Verification.Rejected) v).message()).isEqualTo(reason);
        long seqBefore = sequence == null ? -1 : sequence.last();

        HandledJob handled = handler.handle(jobId, jws);

        assertThat(handled.result().outcome()).isEqualTo(JobOutcome.REJECTED);
        assertThat(handled.result().detail()).startsWith(reason.text() + ": ");
        assertThat(handled.result().previousValues()).isEmpty();
        assertThat(handled.restartReason()).isNull();
        assertThat(registry.asMap()).isEqualTo(registryBefore);
        assertThat(host.calls).isEmpty();
        assertThat(host.pendingReboot).isFalse();
        if (sequence != null) {
            assertThat(sequence.last()).isEqualTo(seqBefore);
        }
    }
}
