package org.tlsrollout.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.AgentConfig;
import org.tlsrollout.agent.testing.FakeServices;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.JobOutcome;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.RegistryKeys;

/** Real agents for every simulated machine, two threads, against collector and remediation over HTTP. */
class SimulatedFleetTest {
    static final String TLS12_CLIENT = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);
    static final double FAILURE_RATE = 0.25;

    final ExecutorService executor = Executors.newFixedThreadPool(2);
    final ECKey signing = TestJobs.newKey("job-key-1");
    FakeServices services;

    @AfterEach
    void tearDown() {
        if (services != null) {
            services.close();
        }
        executor.shutdownNow();
    }

    @Test
    void aWaveOfClientJobsIsAppliedFailedOrRejectedAsPredictedAndReportedBack() throws Exception {
        services = new FakeServices();
        SimulatedEstate estate = new EstateGenerator(21, 400, 3).generate(Clock.systemUTC());
        AgentConfig config = AgentConfig.builder().collectorUrl(services.uri()).remediationUrl(services.uri())
                .enrollSecret(FakeServices.SECRET).pinnedJwks(TestJobs.jwks(signing)).build();
        SimulatedFleet fleet = SimulatedFleet.create(estate, config, executor, FAILURE_RATE, true);

        FleetReport first = fleet.cycle(64).get(120, TimeUnit.SECONDS);
        assertThat(first.cyclesFailed()).as(String.valueOf(first.errors())).isZero();
        assertThat(first.enrollments()).isEqualTo(400);
        assertThat(first.snapshotsSent()).isEqualTo(400);
        assertThat(services.snapshotCount()).isEqualTo(400);

        // remediation issues the CLIENTS phase to every client, and one job outside the allowlist
        Map<String, JobClaims> issued = new HashMap<>();
        int predictedFailures = 0;
        List<SimulatedMachine> clients = estate.machines().stream().filter(m -> !m.isSiteSystem()).toList();
        for (SimulatedMachine m : clients) {
            JobClaims job = TestJobs.claims(m.id(), 1, estate.clock().instant(),
                    Phases.enableClient(m).toArray(Action[]::new));
            issued.put(job.jti(), job);
            services.addJob(m.id(), job.jti(), TestJobs.sign(signing, job));
            if (new SimulatedFailures(estate.seed(), m.index(), FAILURE_RATE).fails(job)) {
                predictedFailures++;
            }
        }
        SimulatedMachine target = estate.machine(estate.sites().get(0).siteServer());
        JobClaims fips = TestJobs.claims(target.id(), 1, estate.clock().instant(),
                Action.setDword(RegistryKeys.FIPS, RegistryKeys.ENABLED, 0));
        services.addJob(target.id(), fips.jti(), TestJobs.sign(signing, fips));
        Map<String, Long> siteServerRegistry = target.registry().asMap();

        FleetReport second = fleet.cycle(64).get(120, TimeUnit.SECONDS);
        assertThat(second.cyclesFailed()).as(String.valueOf(second.errors())).isZero();
        assertThat(second.enrollments()).isZero();
        assertThat(second.succeeded() + second.failed()).isEqualTo(clients.size());
        assertThat(second.failed()).isEqualTo(predictedFailures).isBetween(clients.size() / 8L, clients.size() / 2L);
        assertThat(second.rejected()).isEqualTo(1);
        assertThat(second.restarts()).isEqualTo(second.succeeded());
        // a snapshot after every job applied or failed (it changed the machine), none from the others
        assertThat(second.snapshotsSent()).isEqualTo(second.succeeded() + second.failed());

        assertThat(services.results().get(fips.jti()).outcome()).isEqualTo(JobOutcome.REJECTED);
        assertThat(target.registry().asMap()).isEqualTo(siteServerRegistry);
        for (SimulatedMachine m : clients) {
            JobClaims job = issued.values().stream().filter(j -> j.sub().equals(m.id())).findFirst().orElseThrow();
            boolean fails = new SimulatedFailures(estate.seed(), m.index(), FAILURE_RATE).fails(job);
            assertThat(services.results().get(job.jti()).outcome()).as(m.id())
                    .isEqualTo(fails ? JobOutcome.FAILED : JobOutcome.SUCCEEDED);
            if (!fails) {
                List<MachineSnapshot> reported = services.snapshots(m.id());
                MachineSnapshot last = reported.get(reported.size() - 1);
                assertThat(last.sequence()).isEqualTo(2); // cycle 1, after the restart in cycle 2
                assertThat(last.registry().get(TLS12_CLIENT)).containsEntry(RegistryKeys.ENABLED, 1L);
                assertThat(last.pendingReboot()).isFalse();
            }
        }

        FleetReport third = fleet.cycle(64).get(120, TimeUnit.SECONDS);
        assertThat(third.succeeded() + third.failed() + third.rejected()).isZero();
        // the failed jobs' machines reported in cycle 2 already; nothing changed since, and the reports are recent
        assertThat(third.snapshotsSent()).isZero();
        assertThat(services.pendingJobs(target.id())).isEmpty();
    }
}
