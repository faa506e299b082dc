package org.tlsrollout.rules.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an estate may configure about the catalog (rules.md names each option):
 *
 * @param kb3140245Superseders          KBs the estate accepts in place of KB3140245 for {@code WINHTTP_KB3140245}
 *                                      ("or a KB the estate configures as superseding it")
 * @param laterRollups                  {@code rules.later-rollups}: KBs the estate configures as later rollups, each
 *                                      accepted in place of KB4022721 (OS 6.2) and KB4022720 (OS 6.3) for
 *                                      {@code WSUS_TLS12_UPDATE} (004: "install update 4022721 or a later rollup
 *                                      update"); none by default, since which rollups qualify is unverified
 *                                      (windows-facts.md §5). A rollup of one OS is not installed on the other.
 * @param includeClientsInDisableLegacy {@code rules.disable-legacy.include-clients}: evaluate
 *                                      {@code SCHANNEL_LEGACY_DISABLED} on clients too
 */
public record CatalogOptions(
        Set<String> kb3140245Superseders,
        Set<String> laterRollups,
        boolean includeClientsInDisableLegacy) {

    /** No superseding KBs, no later rollups, clients left out of DISABLE_LEGACY. */
    public static final CatalogOptions DEFAULTS = new CatalogOptions(Set.of(), Set.of(), false);

    private static final Pattern KB = Pattern.compile("KB[0-9]{6,8}");

    /**
     * KB ids are normalized to upper case with the {@code KB} prefix ({@code "kb5005565"} and {@code "5005565"}
     * both become {@code KB5005565}); null sets are empty.
     *
     * @throws IllegalArgumentException for an id that is not {@code KB} and 6 to 8 digits
     */
    public CatalogOptions {
        kb3140245Superseders = normalize("kb3140245Superseders", kb3140245Superseders);
        laterRollups = normalize("laterRollups", laterRollups);
    }

    public static CatalogOptions defaults() {
        return DEFAULTS;
    }

    public CatalogOptions withKb3140245Superseders(Collection<String> kbs) {
        return new CatalogOptions(copy(kbs), laterRollups, includeClientsInDisableLegacy);
    }

    public CatalogOptions withLaterRollups(Collection<String> kbs) {
        return new CatalogOptions(kb3140245Superseders, copy(kbs), includeClientsInDisableLegacy);
    }

    public CatalogOptions withIncludeClientsInDisableLegacy(boolean include) {
        return new CatalogOptions(kb3140245Superseders, laterRollups, include);
    }

    private static Set<String> copy(Collection<String> kbs) {
        return kbs == null ? null : new LinkedHashSet<>(kbs);
    }

    /** One KB id as the catalog compares it: trimmed, upper case, with the {@code KB} prefix. */
    static String normalizeKb(String kb) {
        if (kb == null) {
            throw new IllegalArgumentException("a KB id is not null");
        }
        String id = kb.strip().toUpperCase(Locale.ROOT);
        if (!id.isEmpty() && Character.isDigit(id.charAt(0))) {
            id = "KB" + id;
        }
        if (!KB.matcher(id).matches()) {
            throw new IllegalArgumentException("not a KB id (KB and 6 to 8 digits): '" + kb + "'");
        }
        return id;
    }

    private static Set<String> normalize(String option, Set<String> kbs) {
        if (kbs == null || kbs.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        for (String kb : kbs) {
            try {
                out.add(normalizeKb(kb));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }
        return Collections.unmodifiableSet(out);
    }
}
