package org.tlsrollout.contracts;

/**
 * Dotted versions compared numerically, part by part, a missing part counting as 0 (rules.md: "Compare versions
 * numerically"). A part that is not a number counts as 0 and null sorts first, so a malformed version never throws.
 */
public final class DottedVersions {
    private DottedVersions() {
    }

    public static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? part(x[i]) : 0;
            long q = i < y.length ? part(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long part(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
