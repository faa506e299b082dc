package org.tlsrollout.agent.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tlsrollout.agent.host.DeploymentException;
import org.tlsrollout.agent.host.Deployments;
import org.tlsrollout.agent.host.Host;
import org.tlsrollout.agent.host.HostFacts;
import org.tlsrollout.agent.host.Prober;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;

/** A host, deployments and prober that record every call, for tests of the applier and the agent. */
public final class RecordingHost implements Host, Deployments, Prober {
    public final List<String> calls = new ArrayList<>();
    public boolean pendingReboot;
    public boolean x64 = true;
    public String failInstall;
    public Instant lastBoot = Instant.parse("2026-11-01T08:00:00Z");
    public List<MachineSnapshot.Probe> probes = List.of(
            new MachineSnapshot.Probe("https://p01-cmmp01.p01.corp.example", "TLS1.2", true, null, null));

    @Override
    public synchronized HostFacts facts() {
        return new HostFacts("PC-0142.corp.example",
                new MachineSnapshot.Os("Microsoft Windows 10 Enterprise", "10.0.19045", "workstation", x64 ? "x64" : "x86"),
                List.of(Role.CLIENT), List.of("KB5032189"), new MachineSnapshot.DotNet(528372L, false), null,
                pendingReboot, lastBoot);
    }

    @Override
    public synchronized boolean restart(String reason) {
        calls.add("restart " + reason);
        pendingReboot = false;
        lastBoot = lastBoot.plusSeconds(3600);
        return true;
    }

    @Override
    public synchronized void restartService(String service) {
        calls.add("restartService " + service);
    }

    @Override
    public synchronized void restartRequired() {
        pendingReboot = true;
    }

    @Override
    public synchronized void installUpdate(String kb) {
        calls.add("installUpdate " + kb);
        if (kb.equals(failInstall)) {
            throw new DeploymentException("0x80240022 " + kb + " failed");
        }
    }

    @Override
    public synchronized void installSoftware(String product, String minimumVersion) {
        calls.add("installSoftware " + product + " " + minimumVersion);
        if (product.equals(failInstall)) {
            throw new DeploymentException("0x80070643 " + product + " failed");
        }
    }

    @Override
    public synchronized List<MachineSnapshot.Probe> probe() {
        calls.add("probe");
        return probes;
    }
}
