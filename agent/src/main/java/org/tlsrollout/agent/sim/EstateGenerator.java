package org.tlsrollout.agent.sim;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;

/**
 * Generates a deterministic, realistic estate: the same seed, machine count and site count give the same
 * machines (each machine's traits come from its own random stream, seeded by the estate seed and its index).
 *
 * <p>Each site is a primary site of a real hierarchy. A site of fewer than 40 machines has one server holding
 * every role (site server, its SQL database, SMS provider, management point, distribution point, software update
 * point). A larger site has a site server with the SMS provider and a console, a separate SQL Server for the
 * site database, one to four management points, one distribution point per 800 machines (up to 30), a software
 * update point, and on every other site a secondary site server with SQL Server Express; the first site also
 * hosts the service connection point, a reporting services point, a state migration point, an Endpoint
 * Protection point and on some estates a legacy application catalog. The rest are clients: Windows 7 (8 %),
 * 8 (2 %), 8.1 (8 %), 10 (60 %) and 11 (22 %), some x86, about 1 % with the console. Site systems run Server 2012
 * (15 %), 2012 R2 (30 %), 2016 (25 %), 2019 (20 %), 2022 (10 %), a few distribution points 2008 R2. Site
 * databases go through the branches of rules.md's SQL table site after site; .NET releases, TLS registry values,
 * WinHTTP updates and FIPS (about 0.5 %, at least one machine) vary machine by machine.
 */
public final class EstateGenerator {
    static final String ROOT = "corp.example";
    private static final int ALL_IN_ONE_BELOW = 40;

    private final long seed;
    private final int machines;
    private final int sites;
    private final int firstSite;

    public EstateGenerator(long seed, int machines, int sites) {
        this(seed, machines, sites, 0);
    }

    /**
     * {@code firstSite}: the index of the first site's code (0: P01), so that estates generated side by side on one
     * stack have distinct site codes and so distinct machine ids; the machines themselves do not depend on it.
     */
    public EstateGenerator(long seed, int machines, int sites, int firstSite) {
        if (sites < 1 || firstSite < 0 || firstSite + sites > 1_395) {
            throw new IllegalArgumentException("sites must be 1..1395 in all (first site " + firstSite + ")");
        }
        if (machines < sites) {
            throw new IllegalArgumentException("at least one machine per site: " + machines + " machines, " + sites
                    + " sites");
        }
        this.seed = seed;
        this.machines = machines;
        this.sites = sites;
        this.firstSite = firstSite;
    }

    public SimulatedEstate generate() {
        return generate(Clock.systemUTC());
    }

    public SimulatedEstate generate(Clock clock) {
        Instant now = clock.instant();
        SimulatedMachine[] all = new SimulatedMachine[machines];
        Site[] siteArray = new Site[sites];
        int sqlOffset = (int) Math.floorMod(mix(seed, 0x5157L), (long) SqlBuilds.DATABASE.size());
        boolean appCatalog = Math.floorMod(mix(seed, 0xCA7L), 2L) == 0;
        int index = 0;
        for (int s = 0; s < sites; s++) {
            int n = machines / sites + (s < machines % sites ? 1 : 0);
            Site site = new Site(s, siteCode(firstSite + s));
            siteArray[s] = site;
            String database = SqlBuilds.DATABASE.get((s + sqlOffset) % SqlBuilds.DATABASE.size());
            List<Plan> plan = plan(s, n, database, appCatalog);
            List<Integer> mps = new ArrayList<>();
            List<Integer> dps = new ArrayList<>();
            for (Plan p : plan) {
                SimulatedMachine m = server(index, site, p, now);
                all[index] = m;
                if (m.hasRole(Role.SITE_SERVER)) {
                    site.siteServer = index;
                }
                if (m.hasRole(Role.SITE_DATABASE_SERVER)) {
                    site.database = index;
                }
                if (m.hasRole(Role.SOFTWARE_UPDATE_POINT)) {
                    site.softwareUpdatePoint = index;
                }
                if (m.hasRole(Role.SECONDARY_SITE_SERVER)) {
                    site.secondary = index;
                } else {
                    if (m.hasRole(Role.MANAGEMENT_POINT)) {
                        mps.add(index);
                    }
                    if (m.hasRole(Role.DISTRIBUTION_POINT)) {
                        dps.add(index);
                    }
                }
                index++;
            }
            site.managementPoints = mps.stream().mapToInt(Integer::intValue).toArray();
            site.distributionPoints = dps.stream().mapToInt(Integer::intValue).toArray();
            site.firstClient = index;
            for (int k = 1; k <= n - plan.size(); k++) {
                all[index] = client(index, site, k, now);
                index++;
            }
            site.end = index;
        }
        ensureFips(all, siteArray);
        for (SimulatedMachine m : all) {
            m.caps(SimulatedTls.capabilities(m));
        }
        return new SimulatedEstate(seed, all, siteArray, clock);
    }

    static String siteCode(int s) {
        int n = s + 1;
        if (n <= 99) {
            return String.format("P%02d", n);
        }
        String b36 = Integer.toString(n - 100, 36).toUpperCase(Locale.ROOT);
        return "Q" + (b36.length() == 1 ? "0" + b36 : b36);
    }

    /** What a site's servers are: kind, ordinal, roles, and the SQL Server they run. */
    private record Plan(byte kind, int ordinal, int roles, String sqlServer, String sqlEdition, boolean sqlReported) {
    }

    private static List<Plan> plan(int s, int n, String database, boolean appCatalog) {
        List<Plan> plan = new ArrayList<>();
        boolean first = s == 0;
        if (n < ALL_IN_ONE_BELOW) {
            int roles = SimulatedMachine.roleBits(Role.CLIENT, Role.ADMIN_CONSOLE, Role.SITE_SERVER,
                    Role.SITE_DATABASE_SERVER, Role.SMS_PROVIDER, Role.MANAGEMENT_POINT, Role.DISTRIBUTION_POINT,
                    Role.SOFTWARE_UPDATE_POINT);
            if (first) {
                roles |= SimulatedMachine.roleBits(Role.REPORTING_SERVICES_POINT, Role.SERVICE_CONNECTION_POINT);
            }
            plan.add(new Plan(SimulatedMachine.ALL_IN_ONE, 1, roles, database, "Standard Edition (64-bit)", true));
            return plan;
        }
        int siteServer = SimulatedMachine.roleBits(Role.CLIENT, Role.ADMIN_CONSOLE, Role.SITE_SERVER, Role.SMS_PROVIDER);
        if (first) {
            siteServer |= SimulatedMachine.roleBits(Role.SERVICE_CONNECTION_POINT);
            if (appCatalog && n >= 200) {
                siteServer |= SimulatedMachine.roleBits(Role.APPLICATION_CATALOG);
            }
        }
        plan.add(new Plan(SimulatedMachine.SITE_SERVER, 1, siteServer, null, null, true));
        int db = SimulatedMachine.roleBits(Role.CLIENT, Role.SITE_DATABASE_SERVER);
        if (first || s % 3 == 0) {
            db |= SimulatedMachine.roleBits(Role.REPORTING_SERVICES_POINT);
        }
        plan.add(new Plan(SimulatedMachine.DATABASE, 1, db, database,
                s % 2 == 0 ? "Standard Edition (64-bit)" : "Enterprise Edition (64-bit)", true));
        int mps = n < 1000 ? 1 : Math.min(4, 2 + n / 20_000);
        for (int i = 1; i <= mps; i++) {
            plan.add(new Plan(SimulatedMachine.MANAGEMENT_POINT, i,
                    SimulatedMachine.roleBits(Role.CLIENT, Role.MANAGEMENT_POINT), null, null, true));
        }
        int dps = Math.max(1, Math.min(30, n / 800));
        for (int i = 1; i <= dps; i++) {
            int roles = SimulatedMachine.roleBits(Role.CLIENT, Role.DISTRIBUTION_POINT);
            if (first && i == 1) {
                roles |= SimulatedMachine.roleBits(Role.STATE_MIGRATION_POINT);
            }
            if (i == 2) {
                roles |= SimulatedMachine.roleBits(Role.MULTICAST_DISTRIBUTION_POINT);
            }
            boolean sql = (roles & SimulatedMachine.roleBits(Role.STATE_MIGRATION_POINT,
                    Role.MULTICAST_DISTRIBUTION_POINT)) != 0;
            plan.add(new Plan(SimulatedMachine.DISTRIBUTION_POINT, i, roles, null, null, sql));
        }
        int sup = SimulatedMachine.roleBits(Role.CLIENT, Role.SOFTWARE_UPDATE_POINT);
        if (first) {
            sup |= SimulatedMachine.roleBits(Role.ENDPOINT_PROTECTION_POINT);
        }
        plan.add(new Plan(SimulatedMachine.UPDATE_POINT, 1, sup, null, null, true));
        if (s % 2 == 1 && n >= 200) {
            plan.add(new Plan(SimulatedMachine.SECONDARY, 1, SimulatedMachine.roleBits(Role.CLIENT,
                    Role.SECONDARY_SITE_SERVER, Role.MANAGEMENT_POINT, Role.DISTRIBUTION_POINT), "express",
                    "Express Edition (64-bit)", true));
        }
        return plan;
    }

    private SimulatedMachine server(int index, Site site, Plan p, Instant now) {
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        String sqlServer = "express".equals(p.sqlServer()) ? pick(r, SqlBuilds.EXPRESS) : p.sqlServer();
        OsKind os = serverOs(r, p.kind(), sqlServer);
        String nativeClient = p.sqlReported() ? pick(r, SqlBuilds.NATIVE_CLIENT) : null;
        boolean kb3140245 = (os.nt() == 61 || os.nt() == 62) && r.nextDouble() < 0.5;
        InMemoryRegistry registry = registry(os, true, true, kb3140245, r);
        OsKind.DotNet dotnet = serverDotNet(r, os);
        byte flags = (p.roles() & SimulatedMachine.roleBits(Role.ADMIN_CONSOLE)) != 0 ? consoleFlags(r) : 0;
        return new SimulatedMachine(index, site, p.kind(), p.ordinal(), os, false, p.roles(), flags, registry,
                hotfixes(r, os, kb3140245, true), (int) dotnet.release(os), r.nextDouble() < 0.6, p.sqlReported(),
                sqlServer, sqlServer == null ? null : p.sqlEdition(), nativeClient, r.nextDouble() < 0.03,
                lastBoot(r, now));
    }

    private SimulatedMachine client(int index, Site site, int ordinal, Instant now) {
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        OsKind os = clientOs(r);
        boolean x86 = r.nextDouble() < switch (os) {
            case WINDOWS_7 -> 0.30;
            case WINDOWS_8 -> 0.20;
            case WINDOWS_81 -> 0.10;
            case WINDOWS_10, WINDOWS_10_LTSC_2019 -> 0.02;
            default -> 0.0;
        };
        int roles = SimulatedMachine.roleBits(Role.CLIENT);
        byte flags = 0;
        if (r.nextDouble() < 0.01) {
            roles |= SimulatedMachine.roleBits(Role.ADMIN_CONSOLE);
            flags = consoleFlags(r);
        }
        boolean kb3140245 = (os.nt() == 61 || os.nt() == 62) && r.nextDouble() < 0.4;
        InMemoryRegistry registry = registry(os, !x86, false, kb3140245, r);
        OsKind.DotNet dotnet = clientDotNet(r, os);
        return new SimulatedMachine(index, site, SimulatedMachine.WORKSTATION, ordinal, os, x86, roles, flags, registry,
                hotfixes(r, os, kb3140245, false), (int) dotnet.release(os), r.nextDouble() < 0.4, false, null, null,
                null, r.nextDouble() < 0.03, lastBoot(r, now));
    }

    private static byte consoleFlags(SplittableRandom r) {
        byte flags = 0;
        if (r.nextDouble() < 0.35) {
            flags |= SimulatedMachine.FLAG_CONSOLE_AZURE;
        }
        if (r.nextDouble() < 0.35) {
            flags |= SimulatedMachine.FLAG_CONSOLE_INTUNE;
        }
        return flags;
    }

    /**
     * Windows 7, 8.1, 10 and 11 clients. No Windows 8.0: .NET Framework 4.6.2 and later do not install there, so
     * DOTNET_VERSION can never pass on it and only an OS upgrade would help (OsKind.WINDOWS_8 models that).
     */
    private static OsKind clientOs(SplittableRandom r) {
        double x = r.nextDouble();
        if (x < 0.08) {
            return OsKind.WINDOWS_7;
        }
        if (x < 0.18) {
            return OsKind.WINDOWS_81;
        }
        if (x < 0.23) {
            return OsKind.WINDOWS_10_LTSC_2019;
        }
        if (x < 0.78) {
            return OsKind.WINDOWS_10;
        }
        return x < 0.93 ? OsKind.WINDOWS_11 : OsKind.WINDOWS_11_24H2;
    }

    private static OsKind serverOs(SplittableRandom r, byte kind, String sqlServer) {
        if (sqlServer != null) {
            int major = Versions.part(sqlServer, 0);
            if (major >= 15) {
                return pick(r, List.of(OsKind.SERVER_2016, OsKind.SERVER_2019, OsKind.SERVER_2022));
            }
            if (major <= 10) {
                return pick(r, List.of(OsKind.SERVER_2012, OsKind.SERVER_2012_R2));
            }
        }
        double x = r.nextDouble();
        if (kind == SimulatedMachine.DISTRIBUTION_POINT && x < 0.05) {
            return OsKind.SERVER_2008_R2;
        }
        if (x < 0.15) {
            return OsKind.SERVER_2012;
        }
        if (x < 0.45) {
            return OsKind.SERVER_2012_R2;
        }
        if (x < 0.70) {
            return OsKind.SERVER_2016;
        }
        return x < 0.90 ? OsKind.SERVER_2019 : OsKind.SERVER_2022;
    }

    private static OsKind.DotNet serverDotNet(SplittableRandom r, OsKind os) {
        double x = r.nextDouble();
        OsKind.DotNet d = x < 0.15 ? OsKind.DotNet.V452 : x < 0.35 ? OsKind.DotNet.V462 : x < 0.60
                ? OsKind.DotNet.V472 : OsKind.DotNet.V48;
        return clamp(d, os);
    }

    private static OsKind.DotNet clientDotNet(SplittableRandom r, OsKind os) {
        double x = r.nextDouble();
        OsKind.DotNet d = switch (os) {
            case WINDOWS_8 -> x < 0.6 ? OsKind.DotNet.V452 : OsKind.DotNet.V461;
            case WINDOWS_7, WINDOWS_81 -> x < 0.3 ? OsKind.DotNet.V452 : x < 0.5 ? OsKind.DotNet.V462
                    : x < 0.7 ? OsKind.DotNet.V472 : OsKind.DotNet.V48;
            case WINDOWS_10_LTSC_2019 -> x < 0.4 ? OsKind.DotNet.V472 : OsKind.DotNet.V48;
            case WINDOWS_10 -> x < 0.85 ? OsKind.DotNet.V48 : OsKind.DotNet.V481;
            default -> OsKind.DotNet.V481;
        };
        return clamp(d, os);
    }

    private static OsKind.DotNet clamp(OsKind.DotNet d, OsKind os) {
        if (d.ordinal() < os.ships().ordinal()) {
            return os.ships();
        }
        return d.ordinal() > os.newest().ordinal() ? os.newest() : d;
    }

    private static int hotfixes(SplittableRandom r, OsKind os, boolean kb3140245, boolean server) {
        int bits = 0;
        for (String kb : os.baseline()) {
            bits |= Kbs.bit(kb);
        }
        if (kb3140245) {
            bits |= Kbs.bit(Kbs.KB3140245);
        }
        if (os.nt() == 63 && r.nextDouble() < (server ? 0.5 : 0.6)) {
            bits |= Kbs.bit(Kbs.KB4022720);
        }
        if (os.nt() == 62 && r.nextDouble() < 0.5) {
            bits |= Kbs.bit(Kbs.KB4022721);
        }
        return bits;
    }

    /** The TLS-related registry as such estates have it: mostly defaults, some values set by hand or by GPO. */
    private static InMemoryRegistry registry(OsKind os, boolean x64, boolean siteSystem, boolean kb3140245,
            SplittableRandom r) {
        InMemoryRegistry reg = new InMemoryRegistry();
        int nt = os.nt();
        double pStrong = siteSystem ? 0.35 : nt >= 100 ? 0.4 : 0.2;
        double roll = r.nextDouble();
        long strong = roll < pStrong ? 1 : roll < pStrong + 0.05 ? 0 : -1;
        long systemDefault = strong == 1 && r.nextDouble() < 0.8 ? 1 : r.nextDouble() < 0.05 ? 0 : -1;
        boolean net2Same = r.nextDouble() < 0.8;
        boolean wowSame = r.nextDouble() < 0.85;
        for (String[] keys : new String[][] {{RegistryKeys.NET4, RegistryKeys.NET2},
                {RegistryKeys.NET4_WOW, RegistryKeys.NET2_WOW}}) {
            if (keys[0].equals(RegistryKeys.NET4_WOW) && (!x64 || !wowSame)) {
                continue;
            }
            put(reg, keys[0], RegistryKeys.SCH_USE_STRONG_CRYPTO, strong);
            put(reg, keys[0], RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS, systemDefault);
            if (net2Same) {
                put(reg, keys[1], RegistryKeys.SCH_USE_STRONG_CRYPTO, strong);
                put(reg, keys[1], RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS, systemDefault);
            }
        }
        double w = r.nextDouble();
        long dsp = nt <= 62 ? (kb3140245 ? (w < 0.3 ? 0xAA0 : w < 0.4 ? 0xA00 : -1) : (w < 0.05 ? 0xAA0 : -1))
                : (w < 0.1 ? 0xAA0 : -1);
        put(reg, RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, dsp);
        if (x64 && r.nextDouble() < 0.7) {
            put(reg, RegistryKeys.WINHTTP_WOW, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, dsp);
        }
        String client = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT);
        String server = RegistryKeys.schannel(RegistryKeys.SCH_TLS12, RegistryKeys.SERVER);
        double c = r.nextDouble();
        if (c < (nt == 61 ? 0.15 : 0.2)) {
            reg.put(client, RegistryKeys.ENABLED, 1).put(client, RegistryKeys.DISABLED_BY_DEFAULT, 0);
        } else if (nt >= 62 && c < 0.21) {
            reg.put(client, RegistryKeys.ENABLED, 0);
        }
        if (siteSystem) {
            double v = r.nextDouble();
            if (v < 0.3) {
                reg.put(server, RegistryKeys.ENABLED, 1).put(server, RegistryKeys.DISABLED_BY_DEFAULT, 0);
            } else if (nt >= 62 && v < 0.34) {
                reg.put(server, RegistryKeys.ENABLED, 0); // an old hardening template, TLS 1.2 server off
            }
        }
        double f = r.nextDouble();
        if (f < 0.005) {
            reg.put(RegistryKeys.FIPS, RegistryKeys.ENABLED, 1);
        } else if (f < 0.405) {
            reg.put(RegistryKeys.FIPS, RegistryKeys.ENABLED, 0);
        }
        return reg;
    }

    private void ensureFips(SimulatedMachine[] all, Site[] siteArray) {
        if (all.length < 100) {
            return;
        }
        for (SimulatedMachine m : all) {
            if (m.isFips()) {
                return;
            }
        }
        Site site = siteArray[0];
        int clients = site.end - site.firstClient;
        int pick = clients > 0 ? site.firstClient + (int) Math.floorMod(mix(seed, 0xF1F5L), (long) clients) : 0;
        all[pick].registry.put(RegistryKeys.FIPS, RegistryKeys.ENABLED, 1);
    }

    private static void put(InMemoryRegistry reg, String key, String name, long value) {
        if (value >= 0) {
            reg.put(key, name, value);
        }
    }

    private static long lastBoot(SplittableRandom r, Instant now) {
        return now.getEpochSecond() - 3_600 - r.nextLong(30L * 86_400);
    }

    private static <T> T pick(SplittableRandom r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    /** SplitMix64 of two numbers: independent, well-spread random streams per machine. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
