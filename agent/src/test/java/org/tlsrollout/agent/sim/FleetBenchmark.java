package org.tlsrollout.agent.sim;

import com.nimbusds.jose.jwk.ECKey;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.tlsrollout.agent.AgentConfig;
import org.tlsrollout.agent.http.AgentHttp;
import org.tlsrollout.agent.jobs.TrustedKeys;
import org.tlsrollout.agent.testing.FakeServices;
import org.tlsrollout.agent.testing.TestJobs;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.SnapshotSchema;

/**
 * Not a test: {@code FleetBenchmark <machines> <sites> <agentThreads> <maxInFlight> [validate]} runs cycles of a
 * simulated estate's agents against the in-process fake services, one job per client in the second cycle, and
 * prints throughput and heap. The fake services share the same JVM and cores.
 */
public final class FleetBenchmark {
    public static void main(String[] args) throws Exception {
        int machines = Integer.parseInt(args[0]);
        int sites = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        int inFlight = Integer.parseInt(args[3]);
        boolean validate = args.length > 4 && Boolean.parseBoolean(args[4]);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        ECKey signing = TestJobs.newKey("k1");
        try (FakeServices services = new FakeServices(false)) {
            long t0 = System.nanoTime();
            SimulatedEstate estate = new EstateGenerator(1, machines, sites).generate(Clock.systemUTC());
            System.out.printf("generated %d machines in %d ms%n", machines, (System.nanoTime() - t0) / 1_000_000);
            AgentConfig config = AgentConfig.builder().collectorUrl(services.uri()).remediationUrl(services.uri())
                    .enrollSecret(FakeServices.SECRET).pinnedJwks(TestJobs.jwks(signing)).build();
            AgentHttp http = new AgentHttp(AgentHttp.newClient(executor, Duration.ofSeconds(10)), services.uri(),
                    services.uri(), Duration.ofSeconds(120), Clock.systemUTC());
            SimulatedFleet fleet = new SimulatedFleet(estate, config, http, TrustedKeys.pinned(config.pinnedJwks()),
                    null, executor, 0.05, validate ? new SnapshotSchema() : null);
            for (int cycle = 1; cycle <= 3; cycle++) {
                if (cycle == 2) {
                    for (SimulatedMachine m : estate.machines()) {
                        if (!m.isSiteSystem()) {
                            JobClaims job = TestJobs.claims(m.id(), 1, estate.clock().instant(),
                                    Phases.enableClient(m).toArray(Action[]::new));
                            services.addJob(m.id(), job.jti(), TestJobs.sign(signing, job));
                        }
                    }
                }
                long start = System.nanoTime();
                FleetReport r = fleet.cycle(inFlight).join();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.printf("cycle %d: %.1f s, %.0f agents/s, %s%n  heap after GC %d MB (%d bytes/machine incl."
                        + " tokens and services)%n", cycle, seconds, machines / seconds, r, heap >> 20, heap / machines);
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
