package org.tlsrollout.agent.sim;

import java.util.Locale;

/**
 * One primary site of the simulated hierarchy and where its site systems are (machine indexes of the estate):
 * the site server, the site database server, management points, distribution points, the software update
 * point, and on some sites a secondary site server. On a small site one machine holds them all.
 */
public final class Site {
    final int index;
    final String code;
    final String domain;
    int siteServer = -1;
    int database = -1;
    int softwareUpdatePoint = -1;
    int secondary = -1;
    int[] managementPoints = new int[0];
    int[] distributionPoints = new int[0];
    int firstClient;
    int end;

    Site(int index, String code) {
        this.index = index;
        this.code = code;
        this.domain = code.toLowerCase(Locale.ROOT) + ".corp.example";
    }

    public String code() {
        return code;
    }

    public int siteServer() {
        return siteServer;
    }

    public int database() {
        return database;
    }

    public int softwareUpdatePoint() {
        return softwareUpdatePoint;
    }

    /** The secondary site server in this site's branch, or -1. */
    public int secondary() {
        return secondary;
    }

    public int[] managementPoints() {
        return managementPoints.clone();
    }

    public int[] distributionPoints() {
        return distributionPoints.clone();
    }
}
