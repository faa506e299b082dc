package org.tlsrollout.rules.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tlsrollout.contracts.KnownErrorId;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;

/**
 * Builds test snapshots field by field. By default: a Windows 10 x64 workstation with the CLIENT role, an empty
 * (present) registry section, and every other optional section absent.
 */
final class SnapshotBuilder {
    static final Instant COLLECTED_AT = Instant.parse("2026-11-19T09:30:00Z");

    private String machineId = "PC-0001.corp.example";
    private String siteCode = "NYC";
    private Long sequence = 1L;
    private String osVersion = "10.0.19045";
    private String productType = "workstation";
    private String architecture = "x64";
    private boolean osPresent = true;
    private List<Role> roles = new ArrayList<>(List.of(Role.CLIENT));
    private List<String> hotfixes;
    private MachineSnapshot.DotNet dotnet;
    private Map<String, Map<String, Long>> registry = new LinkedHashMap<>();
    private MachineSnapshot.Sql sql;
    private List<MachineSnapshot.Probe> probes;
    private List<MachineSnapshot.KnownError> knownErrors;
    private Boolean pendingReboot;
    private Instant lastBootAt;
    private String snapshotId;
    private Instant receivedAt;

    private SnapshotBuilder() {
    }

    static SnapshotBuilder snapshot() {
        return new SnapshotBuilder();
    }

    /** Windows 7 SP1 x64 client (OS 6.1.7601). */
    static SnapshotBuilder win7() {
        return snapshot().os("6.1.7601");
    }

    /** Windows 8 x64 client (OS 6.2.9200). */
    static SnapshotBuilder win8() {
        return snapshot().os("6.2.9200");
    }

    /** Windows 10 x64 client. */
    static SnapshotBuilder win10() {
        return snapshot().os("10.0.19045");
    }

    /** An x64 server of this OS version with CLIENT and these roles (a site system when one is a site role). */
    static SnapshotBuilder server(String osVersion, Role... roles) {
        SnapshotBuilder b = snapshot().os(osVersion).server();
        b.roles = new ArrayList<>();
        b.roles.add(Role.CLIENT);
        b.roles.addAll(Arrays.asList(roles));
        return b;
    }

    SnapshotBuilder machineId(String id) {
        machineId = id;
        return this;
    }

    SnapshotBuilder os(String version) {
        osVersion = version;
        return this;
    }

    SnapshotBuilder server() {
        productType = "server";
        return this;
    }

    SnapshotBuilder x86() {
        architecture = "x86";
        return this;
    }

    SnapshotBuilder x64() {
        architecture = "x64";
        return this;
    }

    SnapshotBuilder noOs() {
        osPresent = false;
        return this;
    }

    SnapshotBuilder roles(Role... r) {
        roles = new ArrayList<>(Arrays.asList(r));
        return this;
    }

    SnapshotBuilder hotfixes(String... kbs) {
        hotfixes = new ArrayList<>(Arrays.asList(kbs));
        return this;
    }

    SnapshotBuilder noHotfixes() {
        hotfixes = null;
        return this;
    }

    SnapshotBuilder dotnet(long v4Release) {
        dotnet = new MachineSnapshot.DotNet(v4Release, true);
        return this;
    }

    /** A dotnet section without v4Release: no .NET Framework 4.5 or later. */
    SnapshotBuilder dotnetWithoutV4() {
        dotnet = new MachineSnapshot.DotNet(null, true);
        return this;
    }

    SnapshotBuilder noDotnet() {
        dotnet = null;
        return this;
    }

    /** Sets one DWORD; the key is created when missing and spelled exactly as given. */
    SnapshotBuilder reg(String key, String name, long value) {
        registry.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(name, value);
        return this;
    }

    /** Sets Enabled and DisabledByDefault of one key. */
    SnapshotBuilder reg(String key, long enabled, long disabledByDefault) {
        return reg(key, "Enabled", enabled).reg(key, "DisabledByDefault", disabledByDefault);
    }

    /** Removes one value, keeping its key. */
    SnapshotBuilder unreg(String key, String name) {
        Map<String, Long> values = registry.get(key);
        if (values != null) {
            values.remove(name);
        }
        return this;
    }

    SnapshotBuilder noRegistry() {
        registry = null;
        return this;
    }

    SnapshotBuilder sql(String serverVersion, String nativeClientVersion) {
        sql = new MachineSnapshot.Sql(serverVersion, serverVersion == null ? null : "Standard Edition (64-bit)",
                nativeClientVersion);
        return this;
    }

    SnapshotBuilder noSql() {
        sql = null;
        return this;
    }

    SnapshotBuilder probe(String target, boolean ok, String error) {
        if (probes == null) {
            probes = new ArrayList<>();
        }
        probes.add(new MachineSnapshot.Probe(target, "TLS1.2", ok, error, COLLECTED_AT));
        return this;
    }

    /** A present but empty probes section: the agent made no handshake. */
    SnapshotBuilder emptyProbes() {
        probes = new ArrayList<>();
        return this;
    }

    SnapshotBuilder knownError(KnownErrorId id, String source) {
        if (knownErrors == null) {
            knownErrors = new ArrayList<>();
        }
        knownErrors.add(new MachineSnapshot.KnownError(id, source, null, COLLECTED_AT));
        return this;
    }

    /** A present but empty knownErrors section: the agent looked and found none. */
    SnapshotBuilder emptyKnownErrors() {
        knownErrors = new ArrayList<>();
        return this;
    }

    SnapshotBuilder pendingReboot(Boolean pending) {
        pendingReboot = pending;
        return this;
    }

    SnapshotBuilder lastBootAt(Instant at) {
        lastBootAt = at;
        return this;
    }

    SnapshotBuilder received(String id, Instant at) {
        snapshotId = id;
        receivedAt = at;
        return this;
    }

    MachineSnapshot build() {
        MachineSnapshot.Os os = osPresent
                ? new MachineSnapshot.Os(null, osVersion, productType, architecture)
                : null;
        return new MachineSnapshot(1, machineId, null, siteCode, COLLECTED_AT, sequence, os, roles, hotfixes, dotnet,
                registry, sql, probes, knownErrors, pendingReboot, lastBootAt, "1.0.0", snapshotId, receivedAt);
    }
}
