package org.tlsrollout.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an agent or a bulk import reports about one machine (snapshot.schema.json), plus {@code snapshotId} and
 * {@code receivedAt}, which the collector adds before it publishes to {@link Topics#SNAPSHOTS}. A section the
 * agent could not read is null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineSnapshot(
        Integer schemaVersion,
        String machineId,
        String hostname,
        String siteCode,
        Instant collectedAt,
        Long sequence,
        Os os,
        List<Role> roles,
        List<String> hotfixes,
        DotNet dotnet,
        Map<String, Map<String, Long>> registry,
        Sql sql,
        List<Probe> probes,
        List<KnownError> knownErrors,
        Boolean pendingReboot,
        Instant lastBootAt,
        String agentVersion,
        String snapshotId,
        Instant receivedAt) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Os(String caption, String version, String productType, String architecture) {
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isX64() {
            return "x64".equals(architecture);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DotNet(Long v4Release, Boolean v35Installed) {
    }

    /** A null version means the agent looked and the component is not installed. */
    public record Sql(String serverVersion, String serverEdition, String nativeClientVersion) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Probe(String target, String protocol, boolean ok, String error, Instant checkedAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KnownError(KnownErrorId id, String source, String excerpt, Instant seenAt) {
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public MachineClass machineClass() {
        return MachineClass.of(roles == null ? List.of() : roles);
    }

    public boolean hasRole(Role role) {
        return roles != null && roles.contains(role);
    }

    public boolean hasHotfix(String kb) {
        return hotfixes != null && hotfixes.stream().anyMatch(kb::equalsIgnoreCase);
    }

    /**
     * A registry value, looked up as Windows does: key paths and value names are case-insensitive (the seeds
     * themselves write both {@code Wow6432Node} and {@code WOW6432Node}).
     */
    public OptionalLong registryValue(String key, String name) {
        return registryKey(key)
                .flatMap(values -> values.entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase(name) && e.getValue() != null)
                        .map(Map.Entry::getValue)
                        .findFirst())
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
    }

    public Optional<Map<String, Long>> registryKey(String key) {
        if (registry == null) {
            return Optional.empty();
        }
        Map<String, Long> exact = registry.get(key);
        if (exact != null) {
            return Optional.of(exact);
        }
        return registry.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(key))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The same snapshot as the collector publishes it. */
    public MachineSnapshot received(String id, Instant at) {
        return new MachineSnapshot(schemaVersion, machineId, hostname, siteCode, collectedAt, sequence, os, roles,
                hotfixes, dotnet, registry, sql, probes, knownErrors, pendingReboot, lastBootAt, agentVersion, id, at);
    }
}
