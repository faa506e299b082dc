package org.tlsrollout.contracts;

import java.util.Set;

/**
 * The updates the rule catalog installs (rules.md; the SQL Server ones from KB3135244's table, see
 * windows-facts.md §5): the only KBs an {@code INSTALL_UPDATE} may name besides the estate's configured later
 * rollups. The KB3135244 article itself is not an installable update.
 */
public final class CatalogUpdates {
    /** WinHTTP TLS 1.2 default (001, 002, 003). */
    public static final String WINHTTP = "KB3140245";
    /** WSUS on Server 2012: "June 27, 2017 — Preview of Monthly Rollup" (004). */
    public static final String WSUS_2012 = "KB4022721";
    /** WSUS on Server 2012 R2, the same rollup (004). */
    public static final String WSUS_2012_R2 = "KB4022720";

    // SQL Server TLS 1.2 updates, one per branch of rules.md's table (KB3135244, "Update to install").
    public static final String SQL_2014_SP1_CU = "KB3130926";
    public static final String SQL_2014_SP1_GDR = "KB4019091";
    public static final String SQL_2014_RTM_CU = "KB3130923";
    /** 2014 RTM GDR: SQL Server 2014 SP3 (KB3135244 offers SP2 KB3171021 or SP3). */
    public static final String SQL_2014_RTM_GDR = "KB4022619";
    public static final String SQL_2012_SP3_CU = "KB3123299";
    public static final String SQL_2012_SP3_GDR = "KB4057115";
    public static final String SQL_2012_SP2_CU = "KB3120313";
    public static final String SQL_2012_SP2_GDR = "KB3194719";
    public static final String SQL_2008_R2_SP3 = "KB4057113";
    public static final String SQL_2008_SP4 = "KB4057114";

    public static final Set<String> SQL_SERVER_TLS12 = Set.of(SQL_2014_SP1_CU, SQL_2014_SP1_GDR, SQL_2014_RTM_CU,
            SQL_2014_RTM_GDR, SQL_2012_SP3_CU, SQL_2012_SP3_GDR, SQL_2012_SP2_CU, SQL_2012_SP2_GDR, SQL_2008_R2_SP3,
            SQL_2008_SP4);

    /** Every update the catalog may ask for. */
    public static final Set<String> ALL;

    static {
        var all = new java.util.HashSet<>(SQL_SERVER_TLS12);
        all.addAll(Set.of(WINHTTP, WSUS_2012, WSUS_2012_R2));
        ALL = Set.copyOf(all);
    }

    private CatalogUpdates() {
    }
}
