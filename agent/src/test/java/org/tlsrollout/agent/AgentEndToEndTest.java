package org.tlsrollout.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.http.AgentHttp;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.agent.testing.FakeServices;
import org.tlsrollout.agent.testing.RecordingHost;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.PreviousValue;
import org.tlsrollout.contracts.RegistryKeys;

/**
 * The agent against a tiny HTTP server playing collector and remediation (api.md): enroll, report, poll, reject
 * a bad job, apply a good one, report both results, restart and report again; 401, 503 and lost results.
 */
class AgentEndToEndTest {
    static final String MACHINE = "PC-0142.corp.example";
    static final String TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);

    final ECKey signing = TestJobs.newKey("job-key-1");
    final ExecutorService executor = Executors.newFixedThreadPool(2);
    FakeServices services;
    AgentHttp http;
    InMemoryRegistry registry;
    RecordingHost host;
    InMemoryAgentState state;
    long seq = 1;

    @BeforeEach
    void setUp() throws Exception {
        services = new FakeServices();
        services.jwks(TestJobs.jwks(signing));
        http = new AgentHttp(AgentHttp.newClient(executor, Duration.ofSeconds(5)), services.uri(), services.uri(),
                Duration.ofSeconds(10), Clock.systemUTC());
        registry = new InMemoryRegistry().put(TLS12_CLIENT, RegistryKeys.ENABLED, 0);
        host = new RecordingHost();
        state = new InMemoryAgentState();
    }

    @AfterEach
    void tearDown() {
        services.close();
        executor.shutdownNow();
    }

    AgentConfig.Builder config() {
        return AgentConfig.builder().collectorUrl(services.uri()).remediationUrl(services.uri())
                .enrollSecret(FakeServices.SECRET).pinnedJwks(TestJobs.jwks(signing));
    }

    Agent agent(AgentConfig config) {
        return Agent.builder(config).machine(MACHINE, "P01").http(http).state(state).registry(registry).host(host)
                .deployments(host).prober(host).executor(executor).build();
    }

    String job(ECKey key, Action... actions) {
        JobClaims claims = TestJobs.claims(MACHINE, seq++, java.time.Instant.now(), actions);
        String jws = TestJobs.sign(key, claims);
        services.addJob(MACHINE, claims.jti(), jws);
        return claims.jti();
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS); // only so that a hang fails the test instead of blocking the build
    }

    @Test
    void enrollsReportsRejectsABadJobAppliesAGoodOneReportsBothAndReportsAgainAfterTheRestart() throws Exception {
        Agent agent = agent(config().build());
        String forged = job(TestJobs.newKey("job-key-1"), Action.setDword(RegistryKeys.NET4,
                RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        String good = job(signing, Action.setDword(TLS12_CLIENT, RegistryKeys.ENABLED, 1),
                Action.setDword(TLS12_CLIENT, RegistryKeys.DISABLED_BY_DEFAULT, 0), Action.restart("TLS 1.2 client"));

        CycleReport report = await(agent.cycle());

        assertThat(report).isEqualTo(new CycleReport(1, 2, false, 1, 0, 1, 0, 1, 0));
        JobResult rejected = services.results().get(forged);
        assertThat(rejected.outcome()).isEqualTo(JobOutcome.REJECTED);
        assertThat(rejected.detail()).startsWith("signature does not verify");
        assertThat(rejected.previousValues()).isEmpty();
        JobResult applied = services.results().get(good);
        assertThat(applied.outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(applied.previousValues()).containsExactly(new PreviousValue(TLS12_CLIENT, RegistryKeys.ENABLED, 0L),
                new PreviousValue(TLS12_CLIENT, RegistryKeys.DISABLED_BY_DEFAULT, null));
        assertThat(registry.readDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO)).isEmpty();
        assertThat(registry.readDword(TLS12_CLIENT, RegistryKeys.ENABLED)).hasValue(1);
        assertThat(host.calls).containsExactly("probe", "restart TLS 1.2 client", "probe");
        assertThat(services.pendingJobs(MACHINE)).isEmpty();

        List<MachineSnapshot> snapshots = services.snapshots(MACHINE);
        assertThat(snapshots).extracting(MachineSnapshot::sequence).containsExactly(1L, 2L);
        assertThat(snapshots.get(1).registry().get(TLS12_CLIENT)).containsEntry("Enabled", 1L);
        assertThat(snapshots.get(1).pendingReboot()).isFalse();
        assertThat(snapshots.get(1).lastBootAt()).isAfter(snapshots.get(0).lastBootAt());
        // the result is reported before the restart, and the new snapshot after it
        List<String> log = services.log();
        assertThat(log.indexOf("POST /api/v1/agents/" + MACHINE + "/jobs/" + good + "/result 204"))
                .isLessThan(log.lastIndexOf("POST /api/v1/snapshots 202"));
        assertThat(state.results().jobIds()).isEmpty();
    }

    @Test
    void theNextCycleFindsNothingToDoAndOnlyPollsWhileTheMachineIsUnchangedAndTheReportRecent() throws Exception {
        Agent agent = agent(config().build());
        await(agent.cycle());
        CycleReport second = await(agent.cycle());
        assertThat(second).isEqualTo(new CycleReport(0, 0, false, 0, 0, 0, 0, 0, 0));
        assertThat(services.enrollments()).isEqualTo(1);
        assertThat(services.snapshots(MACHINE)).hasSize(1);
        assertThat(services.log()).containsSubsequence("POST /api/v1/snapshots 202",
                "GET /api/v1/agents/" + MACHINE + "/jobs 200", "GET /api/v1/agents/" + MACHINE + "/jobs 200");
    }

    @Test
    void aReportIsDueAgainOnceTheLastIsOlderThanTheReportInterval() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        Agent agent = Agent.builder(config().reportInterval(Duration.ofMinutes(30)).build()).machine(MACHINE, "P01")
                .http(http).state(state).registry(registry).host(host).deployments(host).prober(host).executor(executor)
                .clock(clock).build();
        assertThat(await(agent.cycle()).snapshotsSent()).isEqualTo(1);

        clock.now = clock.now.plus(Duration.ofMinutes(29));
        assertThat(await(agent.cycle()).snapshotsSent()).isZero();
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(await(agent.cycle()).snapshotsSent()).isEqualTo(1);
        assertThat(await(agent.cycle()).snapshotsSent()).isZero();
        assertThat(services.snapshots(MACHINE)).extracting(MachineSnapshot::sequence).containsExactly(1L, 2L);
    }

    @Test
    void withAReportIntervalOfZeroEveryCycleReports() throws Exception {
        Agent agent = agent(config().reportInterval(Duration.ZERO).build());
        await(agent.cycle());
        assertThat(await(agent.cycle())).isEqualTo(new CycleReport(0, 1, false, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void aJobWithoutRestartIsFollowedBySnapshotInTheSameCycleAndARejectedOneIsNot() throws Exception {
        Agent agent = agent(config().build());
        await(agent.cycle());
        job(signing, Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));

        CycleReport applied = await(agent.cycle());
        assertThat(applied.succeeded()).isEqualTo(1);
        assertThat(applied.snapshotsSent()).isEqualTo(1);
        List<MachineSnapshot> snapshots = services.snapshots(MACHINE);
        assertThat(snapshots).hasSize(2);
        assertThat(snapshots.get(1).registry().get(RegistryKeys.NET4))
                .containsEntry(RegistryKeys.SCH_USE_STRONG_CRYPTO, 1L);
        assertThat(snapshots.get(1).pendingReboot()).isTrue();

        job(TestJobs.newKey("job-key-1"), Action.setDword(RegistryKeys.NET2, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        CycleReport rejected = await(agent.cycle());
        assertThat(rejected.rejected()).isEqualTo(1);
        assertThat(rejected.snapshotsSent()).isZero();
    }

    @Test
    void a401MakesTheAgentEnrollAgain() throws Exception {
        Agent agent = agent(config().build());
        await(agent.cycle());
        services.revokeTokens();
        job(signing, Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));

        CycleReport report = await(agent.cycle());
        assertThat(report.enrollments()).isEqualTo(1);
        assertThat(report.succeeded()).isEqualTo(1);
        assertThat(report.snapshotsSent()).isEqualTo(1);
        assertThat(services.enrollments()).isEqualTo(2);
        assertThat(services.log()).contains("GET /api/v1/agents/" + MACHINE + "/jobs 401");
    }

    @Test
    void aWrongEnrollmentSecretFailsTheCycle() {
        Agent agent = agent(config().enrollSecret("wrong").build());
        assertThatThrownBy(() -> await(agent.cycle())).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("enroll answered 401");
    }

    @Test
    void a503WithRetryAfterIsRetriedUntilTheSnapshotIsTaken() throws Exception {
        services.snapshotsUnavailable(2);
        CycleReport report = await(agent(config().build()).cycle());
        assertThat(report.retries()).isEqualTo(2);
        assertThat(report.snapshotsSent()).isEqualTo(1);
        assertThat(services.snapshots(MACHINE)).hasSize(1);
    }

    @Test
    void aConnectionClosedWithoutAnAnswerIsRetried() throws Exception {
        services.dropSnapshotConnections(1);
        CycleReport report = await(agent(config().build()).cycle());
        assertThat(report.retries()).isEqualTo(1);
        assertThat(services.snapshots(MACHINE)).hasSize(1);
    }

    @Test
    void aServiceThatCannotBeReachedFailsTheCycleAfterTheAttemptsAndTheSnapshotWaits() {
        services.close();
        Agent agent = agent(config().maxAttempts(3).build());
        assertThatThrownBy(() -> await(agent.cycle())).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(java.net.ConnectException.class);
        assertThat(state.token()).isNull();
        assertThat(state.pendingSnapshot().sequence()).isEqualTo(1);

        assertThatThrownBy(() -> await(agent.cycle())).hasCauseInstanceOf(java.net.ConnectException.class);
        assertThat(state.pendingSnapshot().sequence()).as("the kept snapshot, not a second one").isEqualTo(1);
        assertThat(state.snapshotSequence().last()).isEqualTo(1);
    }

    @Test
    void aSnapshotTheCollectorCannotTakeIsKeptAndSentFirstNextCycle() throws Exception {
        Agent agent = agent(config().maxAttempts(2).build());
        services.snapshotsUnavailable(2);

        CycleReport first = await(agent.cycle());
        assertThat(first.snapshotDeferred()).isTrue();
        assertThat(first.snapshotsSent()).isZero();
        assertThat(state.pendingSnapshot()).isNotNull();
        long kept = state.pendingSnapshot().sequence();

        CycleReport second = await(agent.cycle());
        assertThat(second.snapshotsSent()).isEqualTo(2);
        assertThat(services.snapshots(MACHINE)).extracting(MachineSnapshot::sequence).containsExactly(kept, kept + 1);
        assertThat(state.pendingSnapshot()).isNull();
    }

    @Test
    void aResultThatCouldNotBeDeliveredIsSentAgainNotReappliedNorReportedAsReplayed() throws Exception {
        Agent agent = agent(config().maxAttempts(1).build());
        String id = job(signing, Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        services.resultsUnavailable(1);

        assertThatThrownBy(() -> await(agent.cycle())).hasMessageContaining("POST result answered 503");
        assertThat(services.results()).doesNotContainKey(id);
        assertThat(state.results().get(id)).hasValueSatisfying(r -> assertThat(r.outcome()).isEqualTo(JobOutcome.SUCCEEDED));

        CycleReport report = await(agent.cycle());
        assertThat(report.resent()).isEqualTo(1);
        assertThat(report.succeeded()).isZero();
        assertThat(report.snapshotsSent()).as("the job changed the machine; no snapshot since").isEqualTo(1);
        assertThat(services.snapshots(MACHINE).get(services.snapshots(MACHINE).size() - 1).registry()
                .get(RegistryKeys.NET4)).containsEntry(RegistryKeys.SCH_USE_STRONG_CRYPTO, 1L);
        assertThat(services.results().get(id).outcome()).isEqualTo(JobOutcome.SUCCEEDED);
        assertThat(services.results().get(id).previousValues())
                .containsExactly(new PreviousValue(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, null));
    }

    @Test
    void jobsAreAppliedInSeqOrderWhateverTheOrderTheyArePolledIn() throws Exception {
        JobClaims later = TestJobs.claims(MACHINE, 20, java.time.Instant.now(),
                Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        JobClaims earlier = TestJobs.claims(MACHINE, 10, java.time.Instant.now(),
                Action.setDword(RegistryKeys.NET2, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
        services.addJob(MACHINE, later.jti(), TestJobs.sign(signing, later));
        services.addJob(MACHINE, earlier.jti(), TestJobs.sign(signing, earlier));

        CycleReport report = await(agent(config().build()).cycle());
        assertThat(report.succeeded()).isEqualTo(2);
        assertThat(state.jobSequence().last()).isEqualTo(20);
    }

    @Test
    void aRotatedSigningKeyIsFetchedFromATrustedJwksUrl() throws Exception {
        ECKey rotated = TestJobs.newKey("job-key-2");
        services.jwks(TestJobs.jwksOf(TestJobs.jwk(signing, null), TestJobs.jwk(rotated, TestJobs.endorse(signing, rotated))));
        String id = job(rotated, Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));

        await(agent(config().jwksRefreshUrl(services.jwksUri()).trustJwksRefreshOver("http").build()).cycle());
        assertThat(services.results().get(id).outcome()).isEqualTo(JobOutcome.SUCCEEDED);
    }

    @Test
    void aJobSignedByAnUnendorsedKeyOfTheJwksIsRejected() throws Exception {
        ECKey attacker = TestJobs.newKey("job-key-2");
        services.jwks(TestJobs.jwks(signing, attacker)); // a JWKS served by whoever sits on the path, no endorsement
        String id = job(attacker, Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));

        await(agent(config().jwksRefreshUrl(services.jwksUri()).trustJwksRefreshOver("http").build()).cycle());
        assertThat(services.results().get(id).outcome()).isEqualTo(JobOutcome.REJECTED);
        assertThat(registry.readDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO)).isEmpty();
    }

    @Test
    void plainHttpToAnotherHostThanLoopbackIsAConfigurationError() {
        for (String url : new String[] {"http://collector.corp.example:8081", "http://10.1.2.3:8081",
                "http://127.0.0.1.nip.io:8081", "ftp://127.0.0.1/"}) {
            assertThatThrownBy(() -> AgentConfig.builder().collectorUrl(java.net.URI.create(url))
                    .remediationUrl(services.uri()).enrollSecret("s").pinnedJwks(TestJobs.jwks(signing)).build())
                    .as(url).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("collectorUrl");
        }
        for (String url : new String[] {"http://127.0.0.1:8081", "http://localhost:8081", "http://[::1]:8081",
                "https://collector.corp.example"}) {
            AgentConfig.builder().collectorUrl(java.net.URI.create(url)).remediationUrl(services.uri()).enrollSecret("s")
                    .pinnedJwks(TestJobs.jwks(signing)).build();
        }
    }

    @Test
    void withoutARefreshUrlAJobSignedByAnUnpinnedKeyIsRejected() throws Exception {
        ECKey rotated = TestJobs.newKey("job-key-2");
        services.jwks(TestJobs.jwks(signing, rotated));
        String id = job(rotated, Action.setDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));

        await(agent(config().build()).cycle());
        assertThat(services.results().get(id).outcome()).isEqualTo(JobOutcome.REJECTED);
        assertThat(services.results().get(id).detail()).startsWith("signed with a key the agent does not trust");
        assertThat(registry.readDword(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO)).isEmpty();
    }

    @Test
    void aPlainHttpRefreshUrlIsRefusedUnlessTrusted() {
        assertThatThrownBy(() -> agent(config().jwksRefreshUrl(services.jwksUri()).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustJwksRefreshOver=http");
    }

    @Test
    void manyAgentsShareOneClientWithoutAThreadEach() throws Exception {
        List<java.util.concurrent.CompletableFuture<CycleReport>> cycles = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = "PC-" + i + ".corp.example";
            Agent a = Agent.builder(config().build()).machine(id, "P01").http(http).state(new InMemoryAgentState())
                    .registry(new InMemoryRegistry()).host(new RecordingHost()).deployments(new RecordingHost())
                    .prober(new RecordingHost()).executor(executor).build();
            cycles.add(a.cycle());
        }
        for (var c : cycles) {
            assertThat(await(c).snapshotsSent()).isEqualTo(1);
        }
        assertThat(services.snapshotCount()).isEqualTo(200);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
