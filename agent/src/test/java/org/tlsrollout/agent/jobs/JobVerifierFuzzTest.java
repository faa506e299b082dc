package org.tlsrollout.agent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.agent.testing.RecordingHost;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionPolicy;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.RegistryKeys;

/**
 * R4 (issue #6, docs/benchmarks.md): whatever the agent is handed as a job, {@link JobHandler#handle} answers
 * REJECTED changing nothing, or applies a job that another JOSE implementation (Nimbus) confirms is ES256-signed by
 * the trusted key, for this machine, with allowlisted actions only; it never throws. The first byte of an input
 * chooses how the rest becomes a job, so that the fuzzer reaches past the signature too:
 * <ul>
 *   <li>0: the rest is the compact JWS;</li>
 *   <li>1: the rest is {@code header\npayload}, joined with the signature of another job (a forgery);</li>
 *   <li>2: the rest is a payload that the trusted key signs (the claim checks and the allowlist).</li>
 * </ul>
 * The trusted key is fixed (a test key, nowhere else used), so that the saved corpus replays the same way.
 */
class JobVerifierFuzzTest {
    static final String MACHINE = "PC-0142.corp.example";
    static final Instant NOW = Instant.parse("2026-11-19T09:30:00Z");
    static final ECKey TRUSTED = parse("{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"job-key-1\","
            + "\"d\":\"pN5p7-j6KbWpTDoI72geFG4s9_GHydJDrjwgHNYHC1I\",\"x\":\"SsLqOq27gZNhs3cGkjyFt-KhQAnHSuGH9Lm4VPucEi4\","
            + "\"y\":\"z1WSRKza1FEbekZ-tYau4584EZq8RJ39DfEczp8EF18\"}");
    static final TrustedKeys KEYS = TrustedKeys.pinned(TestJobs.jwks(TRUSTED));
    static final String SIGNATURE = TestJobs.sign(TRUSTED, "{\"sub\":\"" + MACHINE + "\"}", h -> { }).split("\\.")[2];
    static final String TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);

    @FuzzTest(maxDuration = "5m")
    void anyJobIsRejectedOrVerifiedNeverACrash(byte[] input) {
        String jws = job(input);
        InMemoryRegistry registry = new InMemoryRegistry().put(TLS12_CLIENT, RegistryKeys.ENABLED, 0)
                .put(RegistryKeys.FIPS, RegistryKeys.ENABLED, 1);
        Map<String, Long> before = registry.asMap();
        InMemorySequenceStore sequence = new InMemorySequenceStore(7);
        RecordingHost host = new RecordingHost();
        JobHandler handler = new JobHandler(new JobVerifier(KEYS, MACHINE, sequence, Clock.fixed(NOW, ZoneOffset.UTC)),
                sequence, new JobApplier(registry, host, host, host, ActionHook.NONE), new InMemoryResultStore());

        HandledJob handled = handler.handle("job-fuzz", jws);

        if (handled.result().outcome() == JobOutcome.REJECTED) {
            assertThat(registry.asMap()).isEqualTo(before);
            assertThat(sequence.last()).isEqualTo(7);
            assertThat(host.calls).isEmpty();
            return;
        }
        // Applied (SUCCEEDED or FAILED): it must be what the trusted key signed, for this machine, allowlisted.
        JobClaims claims = signedClaims(jws);
        assertThat(claims.sub()).isEqualTo(MACHINE);
        assertThat(claims.jti()).isEqualTo("job-fuzz");
        assertThat(claims.seq()).isGreaterThan(7).isEqualTo(sequence.last());
        assertThat(claims.exp()).isGreaterThan(NOW.getEpochSecond() - JobVerifier.DEFAULT_SKEW.toSeconds());
        for (Action a : claims.actions()) {
            assertThat(ActionPolicy.refusal(a)).as(String.valueOf(a)).isEmpty();
        }
        assertThat(registry.readDword(RegistryKeys.FIPS, RegistryKeys.ENABLED)).hasValue(1);
    }

    /** The saved corpus reaches past the signature: its valid seeds are applied, through modes 0 and 2. */
    @org.junit.jupiter.api.Test
    void theValidSeedsAreApplied() throws Exception {
        for (String seed : new String[] {"seed-0-valid-jws", "seed-2-valid"}) {
            byte[] input;
            try (var in = getClass().getResourceAsStream(
                    "JobVerifierFuzzTestInputs/anyJobIsRejectedOrVerifiedNeverACrash/" + seed)) {
                input = in.readAllBytes();
            }
            InMemorySequenceStore sequence = new InMemorySequenceStore(7);
            RecordingHost host = new RecordingHost();
            JobHandler handler = new JobHandler(new JobVerifier(KEYS, MACHINE, sequence,
                    Clock.fixed(NOW, ZoneOffset.UTC)), sequence, new JobApplier(new InMemoryRegistry(), host, host, host,
                    ActionHook.NONE), new InMemoryResultStore());
            assertThat(handler.handle("job-fuzz", job(input)).result().outcome()).as(seed).isEqualTo(JobOutcome.SUCCEEDED);
        }
    }

    static String job(byte[] input) {
        if (input.length == 0) {
            return "";
        }
        String rest = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        return switch (Math.floorMod(input[0], 3)) {
            case 1 -> {
                int nl = rest.indexOf('\n');
                String header = nl < 0 ? rest : rest.substring(0, nl);
                String payload = nl < 0 ? "" : rest.substring(nl + 1);
                yield b64(header) + "." + b64(payload) + "." + SIGNATURE;
            }
            case 2 -> TestJobs.sign(TRUSTED, rest, h -> { });
            default -> rest;
        };
    }

    /** The claims, read by Nimbus after it checked the ES256 signature with the trusted key; fails otherwise. */
    static JobClaims signedClaims(String jws) {
        try {
            JWSObject parsed = JWSObject.parse(jws.strip());
            assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            assertThat(parsed.verify(new ECDSAVerifier(TRUSTED.toECPublicKey()))).as("signature").isTrue();
            ObjectNode payload = (ObjectNode) Json.MAPPER.readTree(parsed.getPayload().toString());
            // "rules" only names what a job fixes, and the agent skips ids of a newer catalog than its own
            // (JobVerifier); nothing here checks them, so an unknown one must not fail this reading either.
            payload.remove("rules");
            return Json.MAPPER.treeToValue(payload, JobClaims.class);
        } catch (Exception e) {
            throw new AssertionError("the agent applied a job that Nimbus does not verify: " + jws, e);
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ECKey parse(String jwk) {
        try {
            return ECKey.parse(jwk);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
