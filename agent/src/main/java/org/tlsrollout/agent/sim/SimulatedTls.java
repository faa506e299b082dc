package org.tlsrollout.agent.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.tlsrollout.contracts.KnownErrorId;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;

/**
 * The simulated TLS of the estate: which protocols each TLS stack of a machine can use, what connects to what,
 * and what fails.
 *
 * <p>At each boot a machine's stacks are computed from its OS defaults, registry and updates, and kept as eight
 * protocol sets (SSL 3.0, TLS 1.0, 1.1, 1.2) in one int, because registry and .NET changes take effect only
 * after a restart:
 * <ul>
 *   <li>SChannel client / server: per protocol, {@code Enabled}=0 or {@code DisabledByDefault}=1 turns it off;
 *       absent values keep the OS default (TLS 1.1/1.2 off on 6.1, on from 6.2; SSL 3.0 on before 10.0); on 6.1
 *       TLS 1.1/1.2 need both values present (rules.md). FIPS {@code Enabled}=1 brings TLS 1.0 back (seed 001).</li>
 *   <li>WinHTTP (the ConfigMgr client): on 6.1/6.2 SSL 3.0 + TLS 1.0 unless KB3140245 is installed and
 *       {@code DefaultSecureProtocols} says otherwise; from 6.3 what SChannel allows.</li>
 *   <li>.NET (ConfigMgr's .NET components; the console uses the 32-bit view on x64): without
 *       {@code SchUseStrongCrypto} or {@code SystemDefaultTlsVersions} = 1, SSL 3.0 + TLS 1.0 only.</li>
 *   <li>SQL client (Native Client below 11.*.7001 knows no TLS 1.2), SQL Server (a build without KB3135244
 *       knows no TLS 1.2), WSUS on 2012 / 2012 R2 (no TLS 1.2 without KB4022721 / KB4022720).</li>
 * </ul>
 * A link from A to B works when A's client stack and B's server stack share a protocol; the agent's probe is a
 * TLS 1.2-only handshake, so it passes only when both have TLS 1.2. A link that does not work leaves the known
 * error the real product would log (e.g. a reporting services point whose .NET lacks strong crypto cannot
 * reach its TLS 1.2-only report server: SRSRP.log "The underlying connection was closed"). Cloud endpoints
 * (SCCMConnectedService, Azure AD, Intune) and report servers accept TLS 1.2 only.
 */
public final class SimulatedTls {
    public static final int SSL3 = 1;
    public static final int TLS10 = 2;
    public static final int TLS11 = 4;
    public static final int TLS12 = 8;
    static final int ALL = 15;

    static final int SCH_CLIENT = 0;
    static final int SCH_SERVER = 1;
    static final int WINHTTP = 2;
    static final int DOTNET = 3;
    static final int DOTNET_WOW = 4;
    static final int SQL_CLIENT = 5;
    static final int SQL_SERVER = 6;
    static final int WSUS = 7;
    /** Not a stack: a server that accepts TLS 1.2 only. */
    static final int TLS12_ONLY = -1;

    private static final String[] PROTOCOLS = {RegistryKeys.SCH_SSL3, RegistryKeys.SCH_TLS10, RegistryKeys.SCH_TLS11,
            RegistryKeys.SCH_TLS12};
    private static final String ALGORITHM_MISMATCH = "SEC_E_ALGORITHM_MISMATCH (0x80090331): The client and server"
            + " cannot communicate, because they do not possess a common algorithm.";

    private SimulatedTls() {
    }

    /** The protocol set of one stack in a capabilities int. */
    public static int set(int caps, int stack) {
        return (caps >>> (4 * stack)) & 0xF;
    }

    private static int with(int caps, int stack, int set) {
        return (caps & ~(0xF << (4 * stack))) | ((set & 0xF) << (4 * stack));
    }

    /** Every stack of the machine as its registry, updates and versions say now. */
    static int capabilities(SimulatedMachine m) {
        int client = schannel(m, RegistryKeys.CLIENT);
        int server = schannel(m, RegistryKeys.SERVER);
        int caps = with(0, SCH_CLIENT, client);
        caps = with(caps, SCH_SERVER, server);
        caps = with(caps, WINHTTP, winHttp(m, client));
        return withApplications(m, caps);
    }

    /**
     * The stacks that follow the SChannel sets of the last boot: .NET (a service restart reloads it), SQL
     * (an update restarts SQL Server), WSUS.
     */
    static int withApplications(SimulatedMachine m, int caps) {
        int client = set(caps, SCH_CLIENT);
        int server = set(caps, SCH_SERVER);
        caps = with(caps, DOTNET, dotNet(m, RegistryKeys.NET4, client));
        caps = with(caps, DOTNET_WOW, m.x86 ? dotNet(m, RegistryKeys.NET4, client)
                : dotNet(m, RegistryKeys.NET4_WOW, client));
        String nc = m.nativeClientVersion();
        int sqlClient = nc == null ? set(caps, DOTNET)
                : SqlBuilds.nativeClientSupportsTls12(nc) ? client : client & (SSL3 | TLS10);
        caps = with(caps, SQL_CLIENT, sqlClient);
        String sv = m.sqlServerVersion();
        caps = with(caps, SQL_SERVER, sv == null ? 0 : SqlBuilds.supportsTls12(sv) ? server : server & (SSL3 | TLS10));
        caps = with(caps, WSUS, m.hasRole(Role.SOFTWARE_UPDATE_POINT) ? wsus(m, server) : 0);
        return caps;
    }

    static int schannel(SimulatedMachine m, String side) {
        int nt = m.os.nt();
        int set = 0;
        for (int p = 0; p < PROTOCOLS.length; p++) {
            String key = RegistryKeys.schannel(PROTOCOLS[p], side);
            long enabled = m.registry.dword(key, RegistryKeys.ENABLED, -1);
            long disabledByDefault = m.registry.dword(key, RegistryKeys.DISABLED_BY_DEFAULT, -1);
            boolean byDefault = switch (p) {
                case 0 -> nt < 100;
                case 1 -> true;
                default -> nt >= 62;
            };
            boolean on;
            if (enabled == 0 || (disabledByDefault != -1 && disabledByDefault != 0)) {
                on = false;
            } else if (byDefault) {
                on = true;
            } else {
                on = enabled != -1 && disabledByDefault == 0;
            }
            if (on) {
                set |= 1 << p;
            }
        }
        if (m.registry.dword(RegistryKeys.FIPS, RegistryKeys.ENABLED, 0) == 1) {
            set |= TLS10;
        }
        return set;
    }

    static int winHttp(SimulatedMachine m, int schannelClient) {
        if (m.os.nt() >= 63) {
            return schannelClient;
        }
        int allowed = SSL3 | TLS10;
        long dsp = m.registry.dword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, -1);
        if (m.hasHotfix(Kbs.KB3140245) && dsp != -1) {
            allowed = ((dsp & 0x020) != 0 ? SSL3 : 0) | ((dsp & 0x080) != 0 ? TLS10 : 0)
                    | ((dsp & 0x200) != 0 ? TLS11 : 0) | ((dsp & 0x800) != 0 ? TLS12 : 0);
        }
        return allowed & schannelClient;
    }

    static int dotNet(SimulatedMachine m, String key, int schannelClient) {
        boolean strong = m.registry.dword(key, RegistryKeys.SCH_USE_STRONG_CRYPTO, 0) == 1;
        boolean systemDefault = m.registry.dword(key, RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS, 0) == 1;
        if (m.dotnetRelease() < 379893 || !(strong || systemDefault)) {
            return schannelClient & (SSL3 | TLS10);
        }
        return strong ? schannelClient & ~SSL3 : schannelClient;
    }

    static int wsus(SimulatedMachine m, int schannelServer) {
        int nt = m.os.nt();
        boolean updated = nt >= 100 || (nt == 62 && m.hasHotfix(Kbs.KB4022721)) || (nt == 63 && m.hasHotfix(Kbs.KB4022720));
        return updated ? schannelServer : schannelServer & ~TLS12;
    }

    /** One connection a machine makes. */
    record Link(SimulatedMachine from, SimulatedMachine to, int clientStack, int serverStack, String target,
            KnownErrorId error, String log, String text, boolean probed) {

        int clientSet() {
            return set(from.caps(), clientStack);
        }

        int serverSet() {
            return serverStack == TLS12_ONLY ? TLS12 : set(to.caps(), serverStack);
        }

        /** The TLS 1.2-only handshake of a probe. */
        boolean tls12() {
            return (clientSet() & serverSet() & TLS12) != 0;
        }

        /** The product's own connection, with whatever protocol both sides share. */
        boolean works() {
            return (clientSet() & serverSet()) != 0;
        }
    }

    /** The connections the machine makes, as the roles of its site place them. */
    static List<Link> links(SimulatedEstate estate, SimulatedMachine m) {
        List<Link> links = new ArrayList<>(6);
        Site site = m.site;
        SimulatedMachine mp = null;
        SimulatedMachine dp = null;
        if (site.secondary >= 0 && m.kind == SimulatedMachine.WORKSTATION && m.index % 4 == 0) {
            mp = estate.machine(site.secondary);
            dp = mp;
        } else {
            if (site.managementPoints.length > 0) {
                mp = estate.machine(site.managementPoints[m.index % site.managementPoints.length]);
            }
            if (site.distributionPoints.length > 0) {
                dp = estate.machine(site.distributionPoints[m.index % site.distributionPoints.length]);
            }
        }
        SimulatedMachine sup = site.softwareUpdatePoint >= 0 ? estate.machine(site.softwareUpdatePoint) : null;
        if (mp != null) {
            links.add(new Link(m, mp, WINHTTP, SCH_SERVER, "https://" + mp.id(),
                    KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED, "CcmMessaging.log", cmtrace(
                    "[CCMHTTP] ERROR: URL=https://" + mp.id() + "/ccm_system/request, Port=443, Options=1504,"
                            + " Code=0x80072f8f, Text=ERROR_WINHTTP_SECURE_FAILURE", "CcmMessaging"), mp != m));
        }
        if (dp != null && dp != mp) {
            links.add(new Link(m, dp, WINHTTP, SCH_SERVER, "https://" + dp.id(),
                    KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED, "DataTransferService.log", cmtrace(
                    "DTS job failed: BITS error 0x80072f8f (ERROR_WINHTTP_SECURE_FAILURE) from https://" + dp.id()
                            + "/SMS_DP_SMSPKG$", "DataTransferService"), dp != m));
        }
        if (sup != null) {
            links.add(new Link(m, sup, WINHTTP, WSUS, "https://" + sup.id() + ":8531", null, null, null, sup != m));
        }
        if (usesSiteDatabase(m)) {
            SimulatedMachine db = m.hasRole(Role.SECONDARY_SITE_SERVER) || site.database < 0 ? m
                    : estate.machine(site.database);
            String log = m.hasRole(Role.SMS_PROVIDER) ? "smsprov.log" : m.hasRole(Role.MANAGEMENT_POINT)
                    ? "mpcontrol.log" : "sitecomp.log";
            links.add(new Link(m, db, SQL_CLIENT, SQL_SERVER, db.id() + ":1433", KnownErrorId.SQL_SSL_SECURITY_ERROR,
                    log, cmtrace("*** [08001][18][Microsoft][ODBC SQL Server Driver][DBNETLIB]SSL Security error"
                    + " (SslSecurityError) connecting to " + db.id(), "SMS_SITE_COMPONENT_MANAGER"), db != m));
        }
        if (m.hasRole(Role.REPORTING_SERVICES_POINT)) {
            links.add(new Link(m, m, DOTNET, TLS12_ONLY, "https://" + m.id() + "/ReportServer",
                    KnownErrorId.SRSRP_CONNECTION_CLOSED, "SRSRP.log", cmtrace("System.Net.WebException: The"
                    + " underlying connection was closed: An unexpected error occurred on a receive.", "SRSRP"),
                    false));
        }
        if (m.hasRole(Role.SERVICE_CONNECTION_POINT)) {
            links.add(new Link(m, null, DOTNET, TLS12_ONLY, "https://sccmconnected-a01.cloudapp.net",
                    KnownErrorId.SCP_UPLOAD_FAILED, "dmpuploader.log", cmtrace("ERROR: Failed to upload to"
                    + " SCCMConnectedService: System.Net.WebException: The underlying connection was closed: An"
                    + " unexpected error occurred on a send.", "SMS_DMP_UPLOADER"), false));
        }
        if (m.hasRole(Role.ADMIN_CONSOLE)) {
            int stack = m.x86 ? DOTNET : DOTNET_WOW; // the console is a 32-bit program
            if ((m.flags & SimulatedMachine.FLAG_CONSOLE_AZURE) != 0) {
                links.add(new Link(m, null, stack, TLS12_ONLY, "https://login.microsoftonline.com",
                        KnownErrorId.CONSOLE_AZURE_SIGNIN, "SMSAdminUI.log", cmtrace("Azure AD sign-in failed:"
                        + " AADSTS1002016: You are using TLS version 1.0, 1.1 and/or 3DES cipher which are"
                        + " deprecated", "AdminUI"), false));
            }
            if ((m.flags & SimulatedMachine.FLAG_CONSOLE_INTUNE) != 0) {
                links.add(new Link(m, null, stack, TLS12_ONLY, "https://manage.microsoft.com",
                        KnownErrorId.CONSOLE_INTUNE_ONBOARDING, "SMSAdminUI.log", cmtrace("Intune onboarding"
                        + " required: cannot connect to the Intune service (The underlying connection was closed)",
                        "AdminUI"), false));
            }
        }
        if (m.hasRole(Role.APPLICATION_CATALOG) && site.managementPoints.length > 0) {
            SimulatedMachine target = estate.machine(site.managementPoints[0]);
            links.add(new Link(m, target, DOTNET, SCH_SERVER, "https://" + target.id() + "/CMUserService",
                    KnownErrorId.APPCATALOG_SOAP_NEGOTIATION, "ServicePortalWebSite.svclog", null, false));
        }
        if (m.hasRole(Role.SOFTWARE_UPDATE_POINT)) {
            links.add(new Link(m, m, DOTNET, WSUS, "https://" + m.id() + ":8531", KnownErrorId.WSUS_COMMUNICATION_FAILED,
                    "WSUSCtrl.log", sms("Failed to connect to WSUS server " + m.id() + ": System.Net.WebException:"
                    + " The underlying connection was closed", "SMS_WSUS_CONTROL_MANAGER"), false));
        }
        if (m.hasRole(Role.SITE_SERVER) && sup != null && sup != m) {
            links.add(new Link(m, sup, DOTNET, WSUS, "https://" + sup.id() + ":8531", KnownErrorId.WSUS_COMMUNICATION_FAILED,
                    "WCM.log", sms("Remote configuration failed on WSUS Server.", "SMS_WSUS_CONFIGURATION_MANAGER"),
                    false));
        }
        return links;
    }

    private static final int DATABASE_USERS = SimulatedMachine.roleBits(Role.SITE_SERVER, Role.SECONDARY_SITE_SERVER,
            Role.SMS_PROVIDER, Role.MANAGEMENT_POINT, Role.SOFTWARE_UPDATE_POINT, Role.REPORTING_SERVICES_POINT);

    /** The roles that connect to the site database (a secondary site to its own SQL Server Express). */
    private static boolean usesSiteDatabase(SimulatedMachine m) {
        return (m.roles & DATABASE_USERS) != 0;
    }

    /** The machine's TLS 1.2-only handshakes to the site systems it talks to. */
    static List<MachineSnapshot.Probe> probes(SimulatedEstate estate, SimulatedMachine m, Instant now) {
        List<MachineSnapshot.Probe> probes = new ArrayList<>(4);
        for (Link l : links(estate, m)) {
            if (!l.probed()) {
                continue;
            }
            boolean ok = l.tls12();
            String error = ok ? null : l.serverStack() == SQL_SERVER
                    ? "[SQL Server Native Client 11.0]SSL Provider: " + ALGORITHM_MISMATCH : ALGORITHM_MISMATCH;
            probes.add(new MachineSnapshot.Probe(l.target(), "TLS1.2", ok, error, now));
        }
        return probes;
    }

    /** The log lines the machine's failing links leave, as the product writes them. */
    static List<String[]> logLines(SimulatedEstate estate, SimulatedMachine m, Instant now) {
        List<String[]> lines = new ArrayList<>(2);
        for (Link l : links(estate, m)) {
            if (l.error() == null || l.works()) {
                continue;
            }
            String text = l.text() != null ? l.text() : svclog(now,
                    "SOAP security negotiation failed. The client and server can't communicate because they don't"
                            + " share a common algorithm.");
            lines.add(new String[] {l.log(), text});
        }
        return lines;
    }

    /** A CMTrace line with a placeholder for the time, filled in when the line is read. */
    private static String cmtrace(String message, String component) {
        return "<![LOG[" + message + "]LOG]!><time=\"%TIME%\" date=\"%DATE%\" component=\"" + component
                + "\" context=\"\" type=\"3\" thread=\"4321\" file=\"\">";
    }

    private static String sms(String message, String component) {
        return message + "  $$<" + component + "><%DATE% %TIME%><thread=4321 (0x10E1)>";
    }

    private static String svclog(Instant now, String message) {
        return "<E2ETraceEvent xmlns=\"http://schemas.microsoft.com/2004/06/E2ETraceEvent\"><System><EventID>0</EventID>"
                + "<Type>3</Type><SubType Name=\"Error\">0</SubType><Level>2</Level><TimeCreated SystemTime=\"" + now
                + "\" /><Source Name=\"System.ServiceModel\" /></System><ApplicationData><TraceData><DataItem>"
                + "<TraceRecord><Description>" + message + "</Description></TraceRecord></DataItem></TraceData>"
                + "</ApplicationData></E2ETraceEvent>";
    }
}
