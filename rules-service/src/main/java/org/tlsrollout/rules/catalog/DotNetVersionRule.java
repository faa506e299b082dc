package org.tlsrollout.rules.catalog;

import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code DOTNET_VERSION} (all machines): {@code dotnet.v4Release} >= 394802, .NET Framework 4.6.2 (000: ".NET
 * Framework 4.6.2 and later supports TLS 1.1 and TLS 1.2"; 003: "Starting version 2107, Configuration Manager
 * requires Microsoft .NET Framework version 4.6.2"). Also {@code DOTNET_48_CONSOLE} (a WARNING on machines with
 * the console): {@code v4Release} >= 528040, .NET Framework 4.8 (ConfigMgr 2403 notes). Both fix by installing
 * .NET Framework 4.8 (003: "install the latest version of .NET version 4.8").
 */
final class DotNetVersionRule extends CatalogRule {
    static final long NET_462 = 394802;
    static final long NET_48 = 528040;
    private static final List<Action> FIX = List.of(Action.installSoftware(Fixes.DOTNET_FRAMEWORK, Fixes.DOTNET_48));

    /** The lowest {@code Release} of each .NET Framework 4.5+ version (Microsoft, "Determine which .NET Framework versions are installed"). */
    private static final long[] RELEASES = {533320, 528040, 461808, 461308, 460798, 394802, 394254, 393295, 379893,
        378675, 378389};
    private static final String[] NAMES = {"4.8.1", "4.8", "4.7.2", "4.7.1", "4.7", "4.6.2", "4.6.1", "4.6", "4.5.2",
        "4.5.1", "4.5"};

    private final long minimum;
    private final String minimumName;
    /** Null: every machine; otherwise only machines with this role. */
    private final Role role;

    private DotNetVersionRule(RuleId id, String source, long minimum, Role role) {
        super(id, source);
        this.minimum = minimum;
        this.minimumName = name(minimum);
        this.role = role;
    }

    static DotNetVersionRule version() {
        return new DotNetVersionRule(RuleId.DOTNET_VERSION, "000, 001, 003", NET_462, null);
    }

    static DotNetVersionRule console() {
        return new DotNetVersionRule(RuleId.DOTNET_48_CONSOLE, "Microsoft ConfigMgr 2403 notes", NET_48,
                Role.ADMIN_CONSOLE);
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (role != null && !e.snapshot.hasRole(role)) {
            return notApplicable(e, () -> "no " + role + " role: .NET Framework " + minimumName
                    + " is required by the console only");
        }
        MachineSnapshot.DotNet dotnet = e.snapshot.dotnet();
        String expected = "expected v4Release >= " + minimum + " (.NET Framework " + minimumName + ")";
        if (dotnet == null) {
            return unknown(e, ".NET Framework (dotnet section) not reported; " + expected);
        }
        Long release = dotnet.v4Release();
        if (release == null) {
            return fail(e, "no .NET Framework 4.5 or later installed (v4Release absent); " + expected, FIX);
        }
        String found = "v4Release " + release + " (.NET Framework " + name(release) + ")";
        if (release < minimum) {
            return fail(e, found + " is below " + minimum + "; " + expected, FIX);
        }
        return pass(e, () -> found + " >= " + minimum + " (.NET Framework " + minimumName + ")");
    }

    /** The .NET Framework version a {@code Release} value stands for. */
    static String name(long release) {
        for (int i = 0; i < RELEASES.length; i++) {
            if (release >= RELEASES[i]) {
                return NAMES[i] + (i == 0 ? " or later" : "");
            }
        }
        return "earlier than 4.5";
    }
}
