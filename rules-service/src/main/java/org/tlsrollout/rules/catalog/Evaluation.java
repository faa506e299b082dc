package org.tlsrollout.rules.catalog;

import java.util.List;
import org.tlsrollout.contracts.MachineClass;
import org.tlsrollout.contracts.MachineSnapshot;

/** What every rule needs from one snapshot, worked out once per evaluation. */
final class Evaluation {
    final MachineSnapshot snapshot;
    final MachineClass machineClass;
    /** The OS version, or null when the snapshot has none or it is not a dotted version. */
    final Version os;
    /** The OS version as reported, for messages. */
    final String osText;
    /** {@code os.architecture} is x64: the Wow6432Node keys apply (rules.md, "Registry paths"). */
    final boolean x64;
    /** The registry section, or null when the snapshot lacks it. */
    final RegistryView registry;
    /**
     * For the compact form, which names PASS and NOT_APPLICABLE rules without their results: those results carry no
     * message (and are shared), so the rules do not build one.
     */
    final boolean quiet;

    Evaluation(MachineSnapshot snapshot) {
        this(snapshot, false);
    }

    Evaluation(MachineSnapshot snapshot, boolean quiet) {
        this.snapshot = snapshot;
        this.quiet = quiet;
        this.machineClass = snapshot.machineClass();
        MachineSnapshot.Os o = snapshot.os();
        this.osText = o == null ? null : o.version();
        this.os = osText == null ? null : Version.parseOrNull(osText);
        this.x64 = o != null && o.isX64();
        this.registry = snapshot.registry() == null ? null : new RegistryView(snapshot.registry());
    }

    boolean isSiteSystem() {
        return machineClass == MachineClass.SITE_SYSTEM;
    }

    /** The OS version is known. */
    boolean osKnown() {
        return os != null;
    }

    /** The OS architecture is known, so it is known whether the Wow6432Node keys apply. */
    boolean architectureKnown() {
        return snapshot.os() != null && snapshot.os().architecture() != null;
    }

    /** OS 6.1 or 6.2 (Windows 7 SP1 / Server 2008 R2 SP1, Windows 8 / Server 2012). */
    boolean os61or62() {
        return os.is(6, 1) || os.is(6, 2);
    }

    /** Earlier than OS 6.1, e.g. 6.0 (Windows Vista / Server 2008). */
    boolean osBefore61() {
        return os.major() < 6 || os.is(6, 0);
    }

    /**
     * The first of these upper-case KB ids, in their order, that the snapshot's hotfixes hold (compared
     * ignoring case); null when none does. The caller checks that {@code hotfixes} is present.
     */
    String installedHotfix(String[] kbs) {
        List<String> hotfixes = snapshot.hotfixes();
        for (String kb : kbs) {
            for (String installed : hotfixes) {
                if (kb.equalsIgnoreCase(installed)) {
                    return kb;
                }
            }
        }
        return null;
    }
}
