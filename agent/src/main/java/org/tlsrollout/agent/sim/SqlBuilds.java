package org.tlsrollout.agent.sim;

import java.util.List;
import java.util.Optional;
import org.tlsrollout.contracts.CatalogUpdates;

/**
 * SQL Server and Native Client builds and their TLS 1.2 support, after KB3135244 as rules.md tabulates it
 * ("SQL Server builds that support TLS 1.2"): the branch is told by the build range.
 */
public final class SqlBuilds {
    /** Site database builds, one or more per branch of the table. */
    static final List<String> DATABASE = List.of(
            "10.0.6000.29",   // 2008 SP4: 10.0.6547.0
            "10.50.6000.34",  // 2008 R2 SP3: 10.50.6542.0
            "10.50.4000.0",   // 2008 R2 SP2: upgrade
            "11.0.3000.0",    // 2012 SP1: upgrade
            "11.0.5058.0",    // 2012 SP2 GDR: 11.0.5352.0
            "11.0.5548.0",    // 2012 SP2 CU: 11.0.5644.2
            "11.0.6020.0",    // 2012 SP3 GDR: 11.0.6216.27
            "11.0.6507.0",    // 2012 SP3 CU: 11.0.6518.0
            "11.0.7001.0",    // 2012 SP4
            "12.0.2000.8",    // 2014 RTM GDR: 12.0.2271.0
            "12.0.2342.0",    // 2014 RTM CU: 12.0.2564.0
            "12.0.4100.1",    // 2014 SP1 GDR: 12.0.4219.0
            "12.0.4416.0",    // 2014 SP1 CU: 12.0.4439.1
            "12.0.5000.0",    // 2014 SP2
            "12.0.6024.0",    // 2014 SP3
            "13.0.5026.0",    // 2016 SP2
            "14.0.3456.2",    // 2017
            "15.0.4335.1",    // 2019
            "16.0.4105.2");   // 2022
    /** Secondary site SQL Server Express builds (the rule wants 13.0.5026.0 or later). */
    static final List<String> EXPRESS = List.of("12.0.6024.0", "13.0.4001.0", "13.0.5026.0", "15.0.2000.5");
    /** SQL Server Native Client builds on site systems (the rule wants 11.*.7001.0 or later). */
    static final List<String> NATIVE_CLIENT = List.of("11.0.2100.60", "11.0.6020.0", "11.3.6540.0", "11.4.7001.0",
            "11.4.7462.6");
    /** The secondary site minimum of seed 004 ("13.2.50.26" on the server page). */
    static final String SECONDARY_MINIMUM = "13.0.5026.0";

    private SqlBuilds() {
    }

    /** True when this SQL Server build supports TLS 1.2. */
    public static boolean supportsTls12(String version) {
        Optional<String> first = firstTls12Build(version);
        return first.isPresent() && org.tlsrollout.contracts.DottedVersions.compare(version, first.get()) >= 0;
    }

    /** The build KB3135244 brings this branch to, when the branch has one and the build is below it. */
    public static Optional<String> tls12Update(String version) {
        Optional<String> first = firstTls12Build(version);
        return first.filter(f -> org.tlsrollout.contracts.DottedVersions.compare(version, f) < 0);
    }

    /**
     * The update that brings this build's branch to TLS 1.2 (rules.md, KB3135244's table, "Update to install"), when
     * the build is below the branch's first TLS 1.2 build.
     */
    public static Optional<String> tls12UpdateKb(String version) {
        return tls12Update(version).map(first -> switch (first) {
            case "12.0.4439.1" -> CatalogUpdates.SQL_2014_SP1_CU;
            case "12.0.4219.0" -> CatalogUpdates.SQL_2014_SP1_GDR;
            case "12.0.2564.0" -> CatalogUpdates.SQL_2014_RTM_CU;
            case "12.0.2271.0" -> CatalogUpdates.SQL_2014_RTM_GDR;
            case "11.0.6518.0" -> CatalogUpdates.SQL_2012_SP3_CU;
            case "11.0.6216.27" -> CatalogUpdates.SQL_2012_SP3_GDR;
            case "11.0.5644.2" -> CatalogUpdates.SQL_2012_SP2_CU;
            case "11.0.5352.0" -> CatalogUpdates.SQL_2012_SP2_GDR;
            case "10.50.6542.0" -> CatalogUpdates.SQL_2008_R2_SP3;
            case "10.0.6547.0" -> CatalogUpdates.SQL_2008_SP4;
            default -> throw new IllegalStateException("no update known for the branch of " + first);
        });
    }

    /** rules.md: major > 11, or major 11 and third part >= 7001. */
    public static boolean nativeClientSupportsTls12(String version) {
        int major = Versions.part(version, 0);
        return major > 11 || (major == 11 && Versions.part(version, 2) >= 7001);
    }

    /** The first TLS 1.2 build of the branch of {@code version}; empty when the branch has none (upgrade). */
    static Optional<String> firstTls12Build(String version) {
        int major = Versions.part(version, 0);
        int minor = Versions.part(version, 1);
        int build = Versions.part(version, 2);
        if (major >= 13) {
            return Optional.of(version);
        }
        if (major == 12) {
            if (build >= 5000) {
                return Optional.of(version);
            }
            if (build >= 4400) {
                return Optional.of("12.0.4439.1");
            }
            if (build >= 4100) {
                return Optional.of("12.0.4219.0");
            }
            if (build >= 2300) {
                return Optional.of("12.0.2564.0");
            }
            return build >= 2000 ? Optional.of("12.0.2271.0") : Optional.empty();
        }
        if (major == 11) {
            if (build >= 7001) {
                return Optional.of(version);
            }
            if (build >= 6500) {
                return Optional.of("11.0.6518.0");
            }
            if (build >= 6020) {
                return Optional.of("11.0.6216.27");
            }
            if (build >= 5500) {
                return Optional.of("11.0.5644.2");
            }
            return build >= 5058 ? Optional.of("11.0.5352.0") : Optional.empty();
        }
        if (major == 10 && build >= 6000) {
            return Optional.of(minor == 50 ? "10.50.6542.0" : "10.0.6547.0");
        }
        return Optional.empty();
    }
}
