package org.tlsrollout.agent.windows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrollout.agent.host.HostFacts;
import org.tlsrollout.agent.windows.RegistryApi.View;
import org.tlsrollout.contracts.DottedVersions;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;

/**
 * Reads what a snapshot reports about a Windows machine (windows-facts.md): OS version, build, product type and
 * architecture from the registry; hotfixes from Win32_QuickFixEngineering (PowerShell, JSON); the .NET 4.5+ release
 * and 3.5; SQL Server instances (the lowest build, in SERVERPROPERTY('ProductVersion') form) and SQL Native Client;
 * pending reboot markers and the ConfigMgr client's verdict; last boot; ConfigMgr roles the machine can tell (site
 * server) plus the configured ones. A part that cannot be read is left out (null), logged.
 */
public final class WindowsFacts {
    private static final Logger LOG = LoggerFactory.getLogger(WindowsFacts.class);
    static final String CURRENT_VERSION = "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
    static final String PRODUCT_OPTIONS = "SYSTEM\\CurrentControlSet\\Control\\ProductOptions";
    static final String TCPIP = "SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters";
    static final String NDP4 = "SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full";
    static final String NDP35 = "SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v3.5";
    static final String SQL = "SOFTWARE\\Microsoft\\Microsoft SQL Server";
    static final String SQL_INSTANCES = SQL + "\\Instance Names\\SQL";
    static final String SNAC11 = SQL + "\\SQLNCLI11\\CurrentVersion";
    static final String CBS_REBOOT = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending";
    static final String WU_REBOOT = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update\\RebootRequired";
    static final String SESSION_MANAGER = "SYSTEM\\CurrentControlSet\\Control\\Session Manager";
    static final String SMS_IDENTIFICATION = "SOFTWARE\\Microsoft\\SMS\\Identification";

    static final String HOTFIXES = "Get-CimInstance -ClassName Win32_QuickFixEngineering | Select-Object HotFixID"
            + " | ConvertTo-Json -Compress";
    static final String LAST_BOOT = "(Get-CimInstance -ClassName Win32_OperatingSystem).LastBootUpTime"
            + ".ToUniversalTime().ToString('o') | ConvertTo-Json -Compress";
    static final String CCM_REBOOT = "try { Invoke-CimMethod -Namespace root\\ccm\\ClientSDK -ClassName CCM_ClientUtilities"
            + " -MethodName DetermineIfRebootPending -ErrorAction Stop | Select-Object RebootPending, IsHardRebootPending"
            + " | ConvertTo-Json -Compress } catch { }";

    private final RegistryApi registry;
    private final PowerShell powershell;
    private final Function<String, String> env;
    private final List<Role> configuredRoles;

    public WindowsFacts(RegistryApi registry, PowerShell powershell, Function<String, String> env, List<Role> configuredRoles) {
        this.registry = registry;
        this.powershell = powershell;
        this.env = env;
        this.configuredRoles = List.copyOf(configuredRoles);
    }

    public HostFacts read(boolean agentRestartRequired) {
        String host = hostname();
        MachineSnapshot.Os os = os();
        Boolean pending = pendingReboot();
        return new HostFacts(host, os, roles(host), hotfixes(), dotnet(), sql(),
                pending == null ? (agentRestartRequired ? Boolean.TRUE : null) : pending || agentRestartRequired,
                lastBoot());
    }

    /** Tcpip\Parameters Hostname and Domain (what the machine calls itself), else COMPUTERNAME. */
    public String hostname() {
        Map<String, Object> tcp = registry.values(TCPIP, View.KEY64);
        String host = tcp == null ? null : string(tcp.get("Hostname"));
        String domain = tcp == null ? null : string(tcp.get("Domain"));
        if (host == null) {
            host = env.apply("COMPUTERNAME");
        }
        if (host == null) {
            return null;
        }
        return (domain == null || domain.isBlank() ? host : host + "." + domain).toLowerCase(Locale.ROOT);
    }

    MachineSnapshot.Os os() {
        Map<String, Object> cv = registry.values(CURRENT_VERSION, View.KEY64);
        if (cv == null) {
            return null;
        }
        String version;
        if (cv.get("CurrentMajorVersionNumber") instanceof Integer major && cv.get("CurrentMinorVersionNumber") instanceof Integer minor) {
            version = major + "." + minor;
        } else {
            version = string(cv.get("CurrentVersion")); // 6.1, 6.2, 6.3 before Windows 10
        }
        String build = string(cv.get("CurrentBuildNumber"));
        if (version == null || build == null) {
            return null;
        }
        Map<String, Object> po = registry.values(PRODUCT_OPTIONS, View.KEY64);
        String type = po == null ? null : switch (String.valueOf(po.get("ProductType")).toLowerCase(Locale.ROOT)) {
            case "winnt" -> "workstation";
            case "servernt" -> "server";
            case "lanmannt" -> "domainController";
            default -> null;
        };
        String arch = env.apply("PROCESSOR_ARCHITEW6432") != null ? env.apply("PROCESSOR_ARCHITEW6432")
                : env.apply("PROCESSOR_ARCHITECTURE");
        String architecture = arch == null ? null : arch.equalsIgnoreCase("x86") ? "x86" : "x64"; // AMD64, ARM64
        if (type == null || architecture == null) {
            return null;
        }
        return new MachineSnapshot.Os(string(cv.get("ProductName")), version + "." + build, type, architecture);
    }

    List<String> hotfixes() {
        try {
            Set<String> ids = new TreeSet<>();
            for (JsonNode item : PowerShell.items(powershell.json(HOTFIXES))) {
                String id = item.path("HotFixID").asText("").strip().toUpperCase(Locale.ROOT);
                if (id.matches("KB[0-9]{6,8}")) {
                    ids.add(id); // duplicates happen (windows-facts.md 3)
                }
            }
            return List.copyOf(ids);
        } catch (IOException e) {
            LOG.warn("cannot list the hotfixes: {}", e.getMessage());
            return null;
        }
    }

    MachineSnapshot.DotNet dotnet() {
        Map<String, Object> v4 = registry.values(NDP4, View.KEY64);
        Map<String, Object> v35 = registry.values(NDP35, View.KEY64);
        Long release = v4 != null && v4.get("Release") instanceof Integer r ? Integer.toUnsignedLong(r) : null;
        boolean has35 = v35 != null && v35.get("Install") instanceof Integer i && i == 1;
        return new MachineSnapshot.DotNet(release, has35);
    }

    /** The lowest SQL Server build of the instances (the one that decides the TLS 1.2 rule), and SNAC 11. */
    MachineSnapshot.Sql sql() {
        Map<String, Object> instances = registry.values(SQL_INSTANCES, View.KEY64);
        String lowest = null;
        String edition = null;
        if (instances != null) {
            for (Object id : instances.values()) {
                Map<String, Object> setup = registry.values(SQL + "\\" + id + "\\Setup", View.KEY64);
                if (setup == null) {
                    continue;
                }
                String v = string(setup.get("PatchLevel")) != null ? string(setup.get("PatchLevel")) : string(setup.get("Version"));
                String pv = productVersion(v);
                if (pv != null && (lowest == null || DottedVersions.compare(pv, lowest) < 0)) {
                    lowest = pv;
                    edition = string(setup.get("Edition"));
                }
            }
        }
        Map<String, Object> snac = registry.values(SNAC11, View.KEY64);
        String client = snac == null ? null
                : string(snac.get("PatchLevel")) != null ? string(snac.get("PatchLevel")) : string(snac.get("Version"));
        if (client != null && !client.matches("[0-9]+\\.[0-9]+\\.[0-9]+(\\.[0-9]+)?")) {
            client = null;
        }
        return new MachineSnapshot.Sql(lowest, edition, client);
    }

    /**
     * The registry's build (service pack in the minor: 10.53.6000.34, 13.2.5026.0) in SERVERPROPERTY('ProductVersion')
     * form (10.50.6000.34, 13.0.5026.0): minor 50 for 2008 R2 (10.5x), else 0 (windows-facts.md, SQL).
     */
    static String productVersion(String registryVersion) {
        if (registryVersion == null || !registryVersion.matches("[0-9]+\\.[0-9]+\\.[0-9]+(\\.[0-9]+)?")) {
            return null;
        }
        String[] p = registryVersion.split("\\.");
        int major = Integer.parseInt(p[0]);
        int minor = Integer.parseInt(p[1]);
        int fixed = major == 10 && minor >= 50 ? 50 : 0;
        StringBuilder b = new StringBuilder().append(major).append('.').append(fixed);
        for (int i = 2; i < p.length; i++) {
            b.append('.').append(p[i]);
        }
        return b.toString();
    }

    /** Any Windows marker, or the ConfigMgr client's verdict; null when none could be read. */
    Boolean pendingReboot() {
        boolean markers = registry.keyExists(CBS_REBOOT, View.KEY64) || registry.keyExists(WU_REBOOT, View.KEY64);
        Map<String, Object> sm = registry.values(SESSION_MANAGER, View.KEY64);
        if (sm != null && sm.containsKey("PendingFileRenameOperations")) {
            markers = true;
        }
        try {
            JsonNode ccm = powershell.json(CCM_REBOOT);
            if (ccm.path("RebootPending").asBoolean(false) || ccm.path("IsHardRebootPending").asBoolean(false)) {
                return true;
            }
        } catch (IOException e) {
            LOG.info("no reboot verdict from the ConfigMgr client: {}", e.getMessage());
        }
        return markers;
    }

    Instant lastBoot() {
        try {
            JsonNode n = powershell.json(LAST_BOOT);
            return n.isTextual() ? Instant.parse(n.asText()) : null;
        } catch (IOException | DateTimeParseException e) {
            LOG.warn("cannot read the last boot time: {}", e.getMessage());
            return null;
        }
    }

    /** The site server knows itself (SMS\Identification names it); every other role comes from the configuration. */
    List<Role> roles(String host) {
        Set<Role> roles = new LinkedHashSet<>();
        roles.add(Role.CLIENT);
        Map<String, Object> id = registry.values(SMS_IDENTIFICATION, View.KEY64);
        String siteServer = id == null ? null : string(id.get("Site Server"));
        if (siteServer != null && host != null && (host.equalsIgnoreCase(siteServer)
                || host.toLowerCase(Locale.ROOT).startsWith(siteServer.toLowerCase(Locale.ROOT) + "."))) {
            roles.add(Role.SITE_SERVER);
        }
        roles.addAll(configuredRoles);
        return new ArrayList<>(roles);
    }

    private static String string(Object o) {
        return o instanceof String s && !s.isBlank() ? s.strip() : null;
    }
}
