package org.tlsrollout.agent.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tlsrollout.agent.host.Deployments;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.HostFacts;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.agent.snapshot.KnownErrorScanner;
import org.tlsrollout.agent.snapshot.LogSource;
import org.tlsrollout.agent.snapshot.SnapshotCollector;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.SnapshotSchema;

/**
 * A generated estate ({@link EstateGenerator}): its machines, its sites, and for each machine the host,
 * deployments, prober and logs its agent uses. Machines are addressed by index; their probes and log lines are
 * computed from the estate as it is now, so that a change on a site system shows on every machine that talks
 * to it.
 */
public final class SimulatedEstate {
    private static final DateTimeFormatter CM_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CM_DATE = DateTimeFormatter.ofPattern("MM-dd-yyyy").withZone(ZoneOffset.UTC);

    private final long seed;
    private final SimulatedMachine[] machines;
    private final Site[] sites;
    private final Clock clock;
    private Map<String, Integer> byId;

    SimulatedEstate(long seed, SimulatedMachine[] machines, Site[] sites, Clock clock) {
        this.seed = seed;
        this.machines = machines;
        this.sites = sites;
        this.clock = clock;
    }

    public long seed() {
        return seed;
    }

    public Clock clock() {
        return clock;
    }

    public int size() {
        return machines.length;
    }

    public SimulatedMachine machine(int index) {
        return machines[index];
    }

    public List<SimulatedMachine> machines() {
        return new AbstractList<>() {
            @Override
            public SimulatedMachine get(int index) {
                return machines[index];
            }

            @Override
            public int size() {
                return machines.length;
            }
        };
    }

    public List<Site> sites() {
        return List.of(sites);
    }

    /** The machine with this id (an index built on first use). */
    public synchronized Optional<SimulatedMachine> machine(String id) {
        if (byId == null) {
            byId = new HashMap<>(machines.length * 2);
            for (SimulatedMachine m : machines) {
                byId.put(m.id(), m.index);
            }
        }
        Integer i = byId.get(id);
        return i == null ? Optional.empty() : Optional.of(machines[i]);
    }

    /** The TLS 1.2-only handshakes the machine makes now. */
    public List<MachineSnapshot.Probe> probes(SimulatedMachine m) {
        return SimulatedTls.probes(this, m, clock.instant());
    }

    /** The known errors the machine's logs show now, as its agent finds them. */
    public List<MachineSnapshot.KnownError> knownErrors(SimulatedMachine m) {
        Instant now = clock.instant();
        return new KnownErrorScanner().scan(logs(m), now.minusSeconds(86_400), now);
    }

    /** Restarts a machine (what its agent does after a RESTART action). */
    public void restart(SimulatedMachine m) {
        m.boot(clock.instant());
    }

    public Host host(SimulatedMachine m) {
        return new SimulatedHost(m);
    }

    public Deployments deployments(SimulatedMachine m) {
        return new SimulatedDeployments(m);
    }

    public Prober prober(SimulatedMachine m) {
        return () -> probes(m);
    }

    /** The machine's ConfigMgr logs: a line for each connection that fails now. */
    public LogSource logs(SimulatedMachine m) {
        return sink -> {
            Instant now = clock.instant();
            String time = CM_TIME.format(now) + "+000";
            String date = CM_DATE.format(now);
            for (String[] line : SimulatedTls.logLines(this, m, now)) {
                sink.accept(line[0], line[1].replace("%TIME%", time).replace("%DATE%", date));
            }
        };
    }

    /** A collector of the machine's snapshots (its snapshot counter is the machine's). */
    public SnapshotCollector collector(SimulatedMachine m, SnapshotSchema schema) {
        return SnapshotCollector.builder()
                .machine(m.id(), m.siteCode())
                .registry(m.registry)
                .host(host(m))
                .prober(prober(m))
                .logs(logs(m))
                .sequence(SimulatedAgentState.snapshotSequence(m))
                .clock(clock)
                .agentVersion("sim-" + org.tlsrollout.agent.AgentConfig.VERSION)
                .schema(schema)
                .build();
    }

    /** The simulated host: facts from the machine; a restart is immediate. */
    final class SimulatedHost implements Host {
        private final SimulatedMachine m;

        SimulatedHost(SimulatedMachine m) {
            this.m = m;
        }

        @Override
        public HostFacts facts() {
            return m.facts();
        }

        @Override
        public boolean restart(String reason) {
            m.boot(clock.instant());
            return true;
        }

        @Override
        public void restartService(String service) {
            if (!"SMS_EXECUTIVE".equals(service)) {
                throw new IllegalArgumentException("no service " + service + " on " + m.id());
            }
            // SMS_Executive reloads its .NET configuration (seed 001: restart it after the .NET updates).
            m.caps(SimulatedTls.withApplications(m, m.caps()));
        }

        @Override
        public void restartRequired() {
            m.pendingReboot(true);
        }
    }

    /**
     * The estate's deployment mechanism: an update is added to the hotfix list (a restart pending), a product
     * brought to the version; what does not apply to the machine fails, as Windows Update or the installer would.
     */
    static final class SimulatedDeployments implements Deployments {
        private final SimulatedMachine m;

        SimulatedDeployments(SimulatedMachine m) {
            this.m = m;
        }

        @Override
        public void installUpdate(String kb) {
            String k = kb.toUpperCase(java.util.Locale.ROOT);
            int nt = m.os.nt();
            switch (k) {
                case Kbs.KB3140245 -> requireApplicable(nt == 61 || nt == 62, k);
                case Kbs.KB4022721 -> requireApplicable(nt == 62, k);
                case Kbs.KB4022720 -> requireApplicable(nt == 63, k);
                default -> {
                    if (org.tlsrollout.contracts.CatalogUpdates.SQL_SERVER_TLS12.contains(k)) {
                        installSqlServerUpdate(k);
                        return;
                    }
                }
            }
            if (!m.hasHotfix(k)) {
                m.addHotfix(k);
                m.pendingReboot(true);
            }
        }

        /** A SQL Server TLS 1.2 update (rules.md, KB3135244's table): only the one of the instance's branch applies. */
        private void installSqlServerUpdate(String k) {
            String version = m.sqlServerVersion();
            if (version == null) {
                throw new org.tlsrollout.agent.host.DeploymentException(
                        "0x80240017 WU_E_NOT_APPLICABLE: no SQL Server instance for " + k);
            }
            if (!SqlBuilds.supportsTls12(version)) {
                String update = SqlBuilds.tls12UpdateKb(version).orElseThrow(() ->
                        new org.tlsrollout.agent.host.DeploymentException("SQL Server " + version
                                + " has no TLS 1.2 update (KB3135244): upgrade to a supported service pack"));
                if (!update.equals(k)) {
                    throw new org.tlsrollout.agent.host.DeploymentException("0x80240017 WU_E_NOT_APPLICABLE: " + k
                            + " is not the update of SQL Server " + version + "'s branch (" + update + ")");
                }
                m.sqlServerVersion(SqlBuilds.tls12Update(version).orElseThrow());
            }
            m.addHotfix(k);
            m.caps(SimulatedTls.withApplications(m, m.caps())); // setup restarts SQL Server
        }

        @Override
        public void installSoftware(String product, String minimumVersion) {
            switch (product) {
                case "dotnet-framework" -> {
                    OsKind.DotNet version = OsKind.DotNet.of(minimumVersion);
                    if (version == null) {
                        throw new org.tlsrollout.agent.host.DeploymentException(
                                "no .NET Framework " + minimumVersion + " package");
                    }
                    if (version.ordinal() > m.os.newest().ordinal()) {
                        throw new org.tlsrollout.agent.host.DeploymentException(".NET Framework " + minimumVersion
                                + " does not install on " + m.os.caption() + " (0x800F0906)");
                    }
                    long release = version.release(m.os);
                    if (m.dotnetRelease() < release) {
                        m.dotnetRelease(release);
                        m.pendingReboot(true);
                    }
                }
                case "sql-server-express" -> {
                    String current = m.sqlServerVersion();
                    if (current == null || !m.hasRole(org.tlsrollout.contracts.Role.SECONDARY_SITE_SERVER)) {
                        throw new org.tlsrollout.agent.host.DeploymentException(
                                "no SQL Server Express instance to upgrade");
                    }
                    if (org.tlsrollout.contracts.DottedVersions.compare(current, minimumVersion) < 0) {
                        m.sqlServerVersion(minimumVersion.intern());
                        m.caps(SimulatedTls.withApplications(m, m.caps()));
                    }
                }
                case "sql-native-client" -> {
                    String current = m.nativeClientVersion();
                    if (current == null || org.tlsrollout.contracts.DottedVersions.compare(current, minimumVersion) < 0) {
                        m.nativeClientVersion(minimumVersion.intern());
                        m.caps(SimulatedTls.withApplications(m, m.caps()));
                    }
                }
                default -> throw new org.tlsrollout.agent.host.DeploymentException("no package for " + product);
            }
        }

        private static void requireApplicable(boolean applicable, String kb) {
            if (!applicable) {
                throw new org.tlsrollout.agent.host.DeploymentException(
                        "0x80240017 WU_E_NOT_APPLICABLE: " + kb + " does not apply to this operating system");
            }
        }
    }
}
