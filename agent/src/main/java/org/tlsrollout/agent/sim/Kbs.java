package org.tlsrollout.agent.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The updates the simulator knows by number, so that a machine keeps its hotfixes as bits of one int. */
final class Kbs {
    static final String KB3140245 = "KB3140245";
    static final String KB4022720 = "KB4022720";
    static final String KB4022721 = "KB4022721";

    static final List<String> KNOWN = known();

    private static List<String> known() {
        List<String> kbs = new java.util.ArrayList<>(List.of(
                "KB2533623", "KB3033929", KB3140245, KB4022720, KB4022721, "KB4474419", "KB5031442",
                "KB2919355", "KB5031419", "KB5032196", "KB5032189", "KB5032190", "KB5044284", "KB5032197", "KB5032198"));
        kbs.addAll(new java.util.TreeSet<>(org.tlsrollout.contracts.CatalogUpdates.SQL_SERVER_TLS12));
        return List.copyOf(kbs);
    }
    private static final Map<String, Integer> INDEX = new HashMap<>();

    static {
        if (KNOWN.size() > 32) {
            throw new IllegalStateException("more than 32 known KBs");
        }
        for (int i = 0; i < KNOWN.size(); i++) {
            INDEX.put(KNOWN.get(i), i);
        }
    }

    private Kbs() {
    }

    /** The bit of a known KB, or 0. */
    static int bit(String kb) {
        Integer i = INDEX.get(kb.toUpperCase(Locale.ROOT));
        return i == null ? 0 : 1 << i;
    }
}
