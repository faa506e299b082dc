package org.tlsrollout.agent.host;

import java.util.List;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * Makes TLS 1.2-only handshakes to the site systems this machine talks to (management point, distribution
 * point, software update point, SQL Server for site systems) and reports each one.
 */
@FunctionalInterface
public interface Prober {
    List<MachineSnapshot.Probe> probe();
}
