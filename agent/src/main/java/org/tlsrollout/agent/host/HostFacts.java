package org.tlsrollout.agent.host;

import java.time.Instant;
import java.util.List;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;

/**
 * What a host knows about itself, in the snapshot's vocabulary. A section the host could not read is null
 * and is left out of the snapshot; {@code sql} is null on machines where the agent does not look for SQL
 * Server components.
 */
public record HostFacts(
        String hostname,
        MachineSnapshot.Os os,
        List<Role> roles,
        List<String> hotfixes,
        MachineSnapshot.DotNet dotnet,
        MachineSnapshot.Sql sql,
        Boolean pendingReboot,
        Instant lastBootAt) {

    public boolean isX64() {
        return os != null && os.isX64();
    }

    public boolean hasHotfix(String kb) {
        return hotfixes != null && hotfixes.stream().anyMatch(kb::equalsIgnoreCase);
    }
}
