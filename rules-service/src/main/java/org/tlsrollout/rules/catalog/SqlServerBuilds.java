package org.tlsrollout.rules.catalog;

/**
 * rules.md, "SQL Server builds that support TLS 1.2 (KB3135244)": which branch a {@code major.minor.build}
 * belongs to and the first TLS 1.2 build of that branch. Builds are compared on {@code major.minor.build}; the
 * build ranges tell the GDR and CU lines of one service pack apart.
 */
final class SqlServerBuilds {

    /** One row of the table. {@code first} is null when every build of the branch supports TLS 1.2. */
    record Branch(String name, int major, int minor, int fromBuild, int toBuild, Version first, boolean upgrade) {
        boolean contains(Version v) {
            return v.major() == major && v.minor() == minor && v.build() >= fromBuild && v.build() <= toBuild;
        }

        /** True when this build supports TLS 1.2. */
        boolean supports(Version v) {
            return !upgrade && (first == null || v.compareTo(first, 3) >= 0);
        }
    }

    static final Branch SQL_2016_AND_LATER = new Branch("SQL Server 2016 and later", 13, 0, 0, 0, null, false);
    static final Branch SQL_2005_AND_EARLIER = new Branch("SQL Server 2005 and earlier", 9, 0, 0, 0, null, true);

    private static final int MAX = Integer.MAX_VALUE;

    /** The rows between 2016 and 2005, in the table's order. */
    static final Branch[] TABLE = {
        all("SQL Server 2014 SP2 and later", 12, 0, 5000, MAX),
        from("SQL Server 2014 SP1 CU line", 12, 0, 4400, 4999, "12.0.4439.1"),
        from("SQL Server 2014 SP1 GDR line", 12, 0, 4100, 4399, "12.0.4219.0"),
        from("SQL Server 2014 RTM CU line", 12, 0, 2300, 4099, "12.0.2564.0"),
        from("SQL Server 2014 RTM GDR line", 12, 0, 2000, 2299, "12.0.2271.0"),
        // Below 12.0.2000 (RTM) there are only pre-release builds: no TLS 1.2 build, as for "earlier" below.
        upgrade("SQL Server 2014 before RTM", 12, 0, 0, 1999),
        all("SQL Server 2012 SP4", 11, 0, 7001, MAX),
        from("SQL Server 2012 SP3 CU line", 11, 0, 6500, 7000, "11.0.6518.0"),
        from("SQL Server 2012 SP3 GDR line", 11, 0, 6020, 6499, "11.0.6216.27"),
        from("SQL Server 2012 SP2 CU line", 11, 0, 5500, 6019, "11.0.5644.2"),
        from("SQL Server 2012 SP2 GDR line", 11, 0, 5058, 5499, "11.0.5352.0"),
        upgrade("SQL Server 2012 before SP2", 11, 0, 0, 5057),
        from("SQL Server 2008 R2 SP3", 10, 50, 6000, MAX, "10.50.6542.0"),
        upgrade("SQL Server 2008 R2 before SP3", 10, 50, 0, 5999),
        from("SQL Server 2008 SP4", 10, 0, 6000, MAX, "10.0.6547.0"),
        upgrade("SQL Server 2008 before SP4", 10, 0, 0, 5999),
    };

    private SqlServerBuilds() {
    }

    /** The branch of a SQL Server version, or null when no row of the table names it (e.g. 10.25). */
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

    private static Branch all(String name, int major, int minor, int from, int to) {
        return new Branch(name, major, minor, from, to, null, false);
    }

    private static Branch from(String name, int major, int minor, int from, int to, String first) {
        return new Branch(name, major, minor, from, to, Version.parse(first), false);
    }

    private static Branch upgrade(String name, int major, int minor, int from, int to) {
        return new Branch(name, major, minor, from, to, null, true);
    }
}
