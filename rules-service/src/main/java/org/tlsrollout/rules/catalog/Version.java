package org.tlsrollout.rules.catalog;

import java.util.Arrays;
import java.util.Optional;

/**
 * A dotted version such as {@code 10.50.6542.0}, {@code 6.1.7601} or {@code 13.0.5026.0}, compared numerically
 * part by part (rules.md: "Compare versions numerically, part by part"); a missing part counts as 0, so
 * {@code 6.1} equals {@code 6.1.0} and {@code 6.10} is later than {@code 6.9}. Immutable.
 */
public final class Version implements Comparable<Version> {
    private final int[] parts;

    private Version(int[] parts) {
        this.parts = parts;
    }

    /**
     * Parses decimal parts separated by dots ({@code "6.1.7601"}); surrounding blanks are ignored.
     *
     * @throws IllegalArgumentException if the text is null, empty, has an empty or non-decimal part, or a part
     *                                  above {@link Integer#MAX_VALUE}
     */
    public static Version parse(String text) {
        Version v = parseOrNull(text);
        if (v == null) {
            throw new IllegalArgumentException("not a dotted version: '" + text + "'");
        }
        return v;
    }

    /** {@link #parse}, or empty when the text is not a dotted version. */
    public static Optional<Version> tryParse(String text) {
        return Optional.ofNullable(parseOrNull(text));
    }

    /** A version of the given parts, e.g. {@code Version.of(6, 2)}. */
    public static Version of(int... parts) {
        if (parts == null || parts.length == 0) {
            throw new IllegalArgumentException("a version has at least one part");
        }
        for (int p : parts) {
            if (p < 0) {
                throw new IllegalArgumentException("a version part is not negative: " + Arrays.toString(parts));
            }
        }
        return new Version(parts.clone());
    }

    /** Parses without throwing and without regular expressions: it runs on every evaluation. */
    static Version parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return null;
        }
        int count = 1;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == '.') {
                count++;
            }
        }
        int[] parts = new int[count];
        int index = 0;
        long value = 0;
        boolean digits = false;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (!digits) {
                    return null;
                }
                parts[index++] = (int) value;
                value = 0;
                digits = false;
            } else if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (value > Integer.MAX_VALUE) {
                    return null;
                }
                digits = true;
            } else {
                return null;
            }
        }
        if (!digits) {
            return null;
        }
        parts[index] = (int) value;
        return new Version(parts);
    }

    /** Part {@code i} (0 = major), 0 when the version has fewer parts. */
    public int part(int i) {
        return i < parts.length ? parts[i] : 0;
    }

    public int major() {
        return part(0);
    }

    public int minor() {
        return part(1);
    }

    /** The third part ("build"). */
    public int build() {
        return part(2);
    }

    /** The fourth part ("revision"). */
    public int revision() {
        return part(3);
    }

    /** How many parts the text had. */
    public int size() {
        return parts.length;
    }

    @Override
    public int compareTo(Version other) {
        return compareTo(other, Math.max(parts.length, other.parts.length));
    }

    /** Compares only the first {@code count} parts, e.g. 3 for SQL Server's {@code major.minor.build}. */
    public int compareTo(Version other, int count) {
        for (int i = 0; i < count; i++) {
            int c = Integer.compare(part(i), other.part(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    public boolean isAtLeast(Version other) {
        return compareTo(other) >= 0;
    }

    public boolean isBelow(Version other) {
        return compareTo(other) < 0;
    }

    /** True when major and minor are exactly these, e.g. {@code is(6, 1)} for 6.1.7601. */
    public boolean is(int major, int minor) {
        return major() == major && minor() == minor;
    }

    /** Equal when {@link #compareTo} is 0: {@code 6.1} equals {@code 6.1.0}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        int last = parts.length;
        while (last > 1 && parts[last - 1] == 0) {
            last--;
        }
        int h = 1;
        for (int i = 0; i < last; i++) {
            h = 31 * h + parts[i];
        }
        return h;
    }

    /** The parts as parsed, joined by dots ({@code 6.1} stays {@code 6.1}). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(parts.length * 5);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(parts[i]);
        }
        return sb.toString();
    }
}
