package org.tlsrollout.agent.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.tlsrollout.agent.host.HostFacts;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;

/**
 * One simulated Windows machine: OS and architecture, ConfigMgr roles, hotfixes, .NET release, SQL Server and
 * Native Client versions, its SChannel/.NET/WinHTTP/FIPS registry ({@link InMemoryRegistry}), whether a restart
 * is pending, and what its TLS stacks could do when it last booted ({@link SimulatedTls}). It also holds its
 * agent's state (token, sequences, undelivered results), so that agents themselves are built per cycle and
 * thrown away. Compact: a few hundred bytes a machine (names are derived, hotfixes are bits, versions are
 * shared strings).
 */
public final class SimulatedMachine {
    /** Name prefixes of the machine kinds. */
    static final String[] KIND_PREFIX = {"cmss", "cmsql", "cmmp", "cmdp", "cmsup", "cmsec", "ws", "cmsite"};
    static final byte SITE_SERVER = 0;
    static final byte DATABASE = 1;
    static final byte MANAGEMENT_POINT = 2;
    static final byte DISTRIBUTION_POINT = 3;
    static final byte UPDATE_POINT = 4;
    static final byte SECONDARY = 5;
    static final byte WORKSTATION = 6;
    static final byte ALL_IN_ONE = 7;

    static final byte FLAG_CONSOLE_AZURE = 1;
    static final byte FLAG_CONSOLE_INTUNE = 2;

    private static final Role[] ROLES = Role.values();

    final int index;
    final Site site;
    final byte kind;
    final int ordinal;
    final OsKind os;
    final boolean x86;
    final int roles;
    final byte flags;
    final InMemoryRegistry registry;

    private int hotfixBits;
    private String[] otherHotfixes;
    private int dotnetRelease;
    private final boolean dotnet35;
    private final boolean sqlReported;
    private String sqlServer;
    private final String sqlEdition;
    private String nativeClient;
    private boolean pendingReboot;
    private long lastBootEpochSecond;
    /** What the TLS stacks could do at the last boot: 8 protocol sets of 4 bits ({@link SimulatedTls}). */
    private volatile int caps;

    // The agent's state.
    long jobSeq;
    long snapshotSeq;
    /** The agent's key pair, made at its first enrollment (kept in memory: the simulator has no state folder). */
    java.security.KeyPair identity;
    String token;
    long tokenExpiresEpochSecond;
    MachineSnapshot pendingSnapshot;
    /** When the machine was last reported as it is, in epoch milliseconds; 0: not yet, or changed since. */
    long lastReportedEpochMilli;
    LinkedHashMap<String, org.tlsrollout.contracts.JobResult> results;
    /** The agent's undo log, by job id; null until a job writes a value. */
    java.util.Map<String, org.tlsrollout.agent.jobs.UndoRecord> undo;

    SimulatedMachine(int index, Site site, byte kind, int ordinal, OsKind os, boolean x86, int roles, byte flags,
            InMemoryRegistry registry, int hotfixBits, int dotnetRelease, boolean dotnet35, boolean sqlReported,
            String sqlServer, String sqlEdition, String nativeClient, boolean pendingReboot, long lastBoot) {
        this.index = index;
        this.site = site;
        this.kind = kind;
        this.ordinal = ordinal;
        this.os = os;
        this.x86 = x86;
        this.roles = roles;
        this.flags = flags;
        this.registry = registry;
        this.hotfixBits = hotfixBits;
        this.dotnetRelease = dotnetRelease;
        this.dotnet35 = dotnet35;
        this.sqlReported = sqlReported;
        this.sqlServer = sqlServer;
        this.sqlEdition = sqlEdition;
        this.nativeClient = nativeClient;
        this.pendingReboot = pendingReboot;
        this.lastBootEpochSecond = lastBoot;
    }

    static int roleBits(Role... roles) {
        int bits = 0;
        for (Role r : roles) {
            bits |= 1 << r.ordinal();
        }
        return bits;
    }

    public int index() {
        return index;
    }

    /** Host name, e.g. {@code p01-cmmp01}, {@code p01-ws000042}. */
    public String hostname() {
        String prefix = KIND_PREFIX[kind];
        String number = kind == WORKSTATION ? String.format("%06d", ordinal) : String.format("%02d", ordinal);
        return site.code.toLowerCase(java.util.Locale.ROOT) + "-" + prefix + number;
    }

    /** The machine id: its FQDN, e.g. {@code p01-cmmp01.p01.corp.example}. */
    public String id() {
        return hostname() + "." + site.domain;
    }

    public String siteCode() {
        return site.code;
    }

    public Site site() {
        return site;
    }

    public OsKind osKind() {
        return os;
    }

    public boolean isX64() {
        return !x86;
    }

    public boolean hasRole(Role role) {
        return (roles & (1 << role.ordinal())) != 0;
    }

    public List<Role> roles() {
        List<Role> list = new ArrayList<>(4);
        for (Role r : ROLES) {
            if (hasRole(r)) {
                list.add(r);
            }
        }
        return list;
    }

    /** rules.md: a machine with any role other than CLIENT and ADMIN_CONSOLE. */
    public boolean isSiteSystem() {
        return (roles & ~roleBits(Role.CLIENT, Role.ADMIN_CONSOLE)) != 0;
    }

    public InMemoryRegistry registry() {
        return registry;
    }

    public boolean isFips() {
        return registry.dword(RegistryKeys.FIPS, RegistryKeys.ENABLED, 0) == 1;
    }

    public synchronized boolean hasHotfix(String kb) {
        int bit = Kbs.bit(kb);
        if (bit != 0) {
            return (hotfixBits & bit) != 0;
        }
        if (otherHotfixes != null) {
            for (String h : otherHotfixes) {
                if (h.equalsIgnoreCase(kb)) {
                    return true;
                }
            }
        }
        return false;
    }

    public synchronized List<String> hotfixes() {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < Kbs.KNOWN.size(); i++) {
            if ((hotfixBits & (1 << i)) != 0) {
                list.add(Kbs.KNOWN.get(i));
            }
        }
        if (otherHotfixes != null) {
            list.addAll(List.of(otherHotfixes));
        }
        return list;
    }

    synchronized void addHotfix(String kb) {
        if (hasHotfix(kb)) {
            return;
        }
        int bit = Kbs.bit(kb);
        if (bit != 0) {
            hotfixBits |= bit;
        } else {
            String[] more = otherHotfixes == null ? new String[1] : java.util.Arrays.copyOf(otherHotfixes,
                    otherHotfixes.length + 1);
            more[more.length - 1] = kb.toUpperCase(java.util.Locale.ROOT).intern();
            otherHotfixes = more;
        }
    }

    public synchronized long dotnetRelease() {
        return dotnetRelease;
    }

    synchronized void dotnetRelease(long release) {
        this.dotnetRelease = (int) release;
    }

    /** SQL Server build, or null when none. */
    public synchronized String sqlServerVersion() {
        return sqlServer;
    }

    synchronized void sqlServerVersion(String version) {
        this.sqlServer = version;
    }

    /** SQL Server Native Client build, or null when none. */
    public synchronized String nativeClientVersion() {
        return nativeClient;
    }

    synchronized void nativeClientVersion(String version) {
        this.nativeClient = version;
    }

    public synchronized boolean pendingReboot() {
        return pendingReboot;
    }

    synchronized void pendingReboot(boolean pending) {
        this.pendingReboot = pending;
    }

    public synchronized Instant lastBootAt() {
        return Instant.ofEpochSecond(lastBootEpochSecond);
    }

    /** A restart: nothing pending any more, boot time now, the TLS stacks as the registry now says. */
    synchronized void boot(Instant at) {
        pendingReboot = false;
        lastBootEpochSecond = at.getEpochSecond();
        caps = SimulatedTls.capabilities(this);
    }

    int caps() {
        return caps;
    }

    void caps(int caps) {
        this.caps = caps;
    }

    /** What the agent of this machine reports about its host. */
    public synchronized HostFacts facts() {
        MachineSnapshot.Sql sql = sqlReported
                ? new MachineSnapshot.Sql(sqlServer, sqlServer == null ? null : sqlEdition, nativeClient) : null;
        return new HostFacts(id(), os.os(!x86), roles(), hotfixes(),
                new MachineSnapshot.DotNet(dotnetRelease == 0 ? null : (long) dotnetRelease, dotnet35), sql,
                pendingReboot, Instant.ofEpochSecond(lastBootEpochSecond));
    }

    @Override
    public String toString() {
        return id() + " (" + os + (x86 ? " x86" : "") + ", " + roles() + ")";
    }
}
