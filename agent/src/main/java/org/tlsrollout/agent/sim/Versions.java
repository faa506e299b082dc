package org.tlsrollout.agent.sim;

/** Dotted versions compared numerically, part by part (rules.md: "Compare versions numerically"). */
final class Versions {
    private Versions() {
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? Long.parseLong(x[i]) : 0;
            long q = i < y.length ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    static int part(String version, int index) {
        String[] parts = version.split("\\.");
        return index < parts.length ? Integer.parseInt(parts[index]) : 0;
    }
}
