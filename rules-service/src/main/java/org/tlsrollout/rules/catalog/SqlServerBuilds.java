package org.tlsrollout.rules.catalog;

import org.tlsrollout.contracts.CatalogUpdates;

/**
 * rules.md, "SQL Server builds that support TLS 1.2 (KB3135244)": which branch a {@code major.minor.build}
 * belongs to, the first TLS 1.2 build of that branch and the update that brings it (windows-facts.md §5, "Update to
 * install"). Builds are compared on {@code major.minor.build}; the build ranges tell the GDR and CU lines of one
 * service pack apart.
 */
final class SqlServerBuilds {

    /**
     * One row of the table. {@code first} is null when every build of the branch supports TLS 1.2 or none does;
     * {@code update} is the branch's TLS 1.2 update (a {@link CatalogUpdates} KB), null when there is none to
     * install; {@code upgrade} is set for the rows marked "none: upgrade", {@code upgradeTo} then says to what.
     */
    record Branch(String name, int major, int minor, int fromBuild, int toBuild, Version first, String update,
            boolean upgrade, String upgradeTo) {
        boolean contains(Version v) {
            return v.major() == major && v.minor() == minor && v.build() >= fromBuild && v.build() <= toBuild;
        }

        /** True when this build supports TLS 1.2. */
        boolean supports(Version v) {
            return !upgrade && (first == null || v.compareTo(first, 3) >= 0);
        }
    }

    static final Branch SQL_2016_AND_LATER = all("SQL Server 2016 and later", 13, 0, 0, 0);
    static final Branch SQL_2005_AND_EARLIER = upgrade("SQL Server 2005 and earlier", 9, 0, 0, 0,
            "an upgrade to SQL Server 2016 or later (or 2014 SP2, 2012 SP4, which support TLS 1.2 as they are)");

    private static final int MAX = Integer.MAX_VALUE;

    /** The rows between 2016 and 2005, in the table's order. */
    static final Branch[] TABLE = {
        all("SQL Server 2014 SP2 and later", 12, 0, 5000, MAX),
        from("SQL Server 2014 SP1 CU line", 12, 0, 4400, 4999, "12.0.4439.1", CatalogUpdates.SQL_2014_SP1_CU),
        from("SQL Server 2014 SP1 GDR line", 12, 0, 4100, 4399, "12.0.4219.0", CatalogUpdates.SQL_2014_SP1_GDR),
        from("SQL Server 2014 RTM CU line", 12, 0, 2300, 4099, "12.0.2564.0", CatalogUpdates.SQL_2014_RTM_CU),
        from("SQL Server 2014 RTM GDR line", 12, 0, 2000, 2299, "12.0.2271.0", CatalogUpdates.SQL_2014_RTM_GDR),
        // Below 12.0.2000 (RTM) there are only pre-release builds: no TLS 1.2 build, as for "earlier" below.
        upgrade("SQL Server 2014 before RTM", 12, 0, 0, 1999,
                "an upgrade to SQL Server 2014 SP2 or later, which supports TLS 1.2 as it is"),
        all("SQL Server 2012 SP4", 11, 0, 7001, MAX),
        from("SQL Server 2012 SP3 CU line", 11, 0, 6500, 7000, "11.0.6518.0", CatalogUpdates.SQL_2012_SP3_CU),
        from("SQL Server 2012 SP3 GDR line", 11, 0, 6020, 6499, "11.0.6216.27", CatalogUpdates.SQL_2012_SP3_GDR),
        from("SQL Server 2012 SP2 CU line", 11, 0, 5500, 6019, "11.0.5644.2", CatalogUpdates.SQL_2012_SP2_CU),
        from("SQL Server 2012 SP2 GDR line", 11, 0, 5058, 5499, "11.0.5352.0", CatalogUpdates.SQL_2012_SP2_GDR),
        upgrade("SQL Server 2012 before SP2", 11, 0, 0, 5057,
                "an upgrade to SQL Server 2012 SP4 (11.0.7001.0), which supports TLS 1.2 as it is"),
        from("SQL Server 2008 R2 SP3", 10, 50, 6000, MAX, "10.50.6542.0", CatalogUpdates.SQL_2008_R2_SP3),
        upgrade("SQL Server 2008 R2 before SP3", 10, 50, 0, 5999,
                "an upgrade to SQL Server 2008 R2 SP3, then its TLS 1.2 update " + CatalogUpdates.SQL_2008_R2_SP3),
        from("SQL Server 2008 SP4", 10, 0, 6000, MAX, "10.0.6547.0", CatalogUpdates.SQL_2008_SP4),
        upgrade("SQL Server 2008 before SP4", 10, 0, 0, 5999,
                "an upgrade to SQL Server 2008 SP4, then its TLS 1.2 update " + CatalogUpdates.SQL_2008_SP4),
    };

    private SqlServerBuilds() {
    }

    /**
     * The branch of a SQL Server version in the ProductVersion form ({@link #productVersion}), or null when no row
     * of the table names it.
     */
    static Branch branchOf(Version v) {
        if (v.major() >= 13) {
            return SQL_2016_AND_LATER;
        }
        if (v.major() <= 9) {
            return SQL_2005_AND_EARLIER;
        }
        for (Branch b : TABLE) {
            if (b.contains(v)) {
                return b;
            }
        }
        return null;
    }

    /**
     * A version as {@code SERVERPROPERTY('ProductVersion')} gives it, the form rules.md asks of snapshots: as it is
     * when it already has that form's minor (10.0 for 2008, 10.50 for 2008 R2, else 0); a version in the registry's
     * {@code PatchLevel} form, whose minor carries the service pack (10.53.6000.34 for 2008 R2 SP3, 10.4.6000.29 for
     * 2008 SP4, 11.4, 12.3, 13.2 ...), with that minor put back (the build is the same in both forms); null when the
     * minor is neither form's (e.g. 10.25, 11.7), so the branch cannot be told. From 2017 (14) on there are no service
     * packs and nothing depends on the minor: as it is.
     */
    static Version productVersion(Version v) {
        int major = v.major();
        int minor = v.minor();
        if (major <= 9 || major >= 14) {
            return v;
        }
        int productMinor;
        if (major == 10) {
            if (minor == 0 || minor == 50) {
                return v;
            }
            productMinor = minor >= 1 && minor <= 4 ? 0 : minor >= 51 && minor <= 53 ? 50 : -1;
        } else {
            // The service packs after RTM: 2012 SP1-SP4 (11), 2014 SP1-SP3 (12), 2016 SP1-SP3 (13).
            int lastServicePack = major == 11 ? 4 : 3;
            if (minor == 0) {
                return v;
            }
            productMinor = minor >= 1 && minor <= lastServicePack ? 0 : -1;
        }
        return productMinor < 0 ? null : Version.of(major, productMinor, v.build(), v.revision());
    }

    private static Branch all(String name, int major, int minor, int from, int to) {
        return new Branch(name, major, minor, from, to, null, null, false, null);
    }

    private static Branch from(String name, int major, int minor, int from, int to, String first, String update) {
        return new Branch(name, major, minor, from, to, Version.parse(first), update, false, null);
    }

    private static Branch upgrade(String name, int major, int minor, int from, int to, String upgradeTo) {
        return new Branch(name, major, minor, from, to, null, null, true, upgradeTo);
    }
}
