package org.tlsrollout.agent.sim;

import java.util.Locale;
import org.tlsrollout.contracts.MachineSnapshot;

/**
 * The Windows versions of the simulated estate, with what each ships: its .NET Framework and the .NET releases
 * it can take, its baseline updates, its SChannel defaults (see {@link SimulatedTls}).
 */
public enum OsKind {
    WINDOWS_7("Microsoft Windows 7 Enterprise", "6.1.7601", false, DotNet.V452, DotNet.V48, "KB2533623", "KB3033929", "KB4474419"),
    WINDOWS_8("Microsoft Windows 8 Enterprise", "6.2.9200", false, DotNet.V452, DotNet.V461, "KB5031442"),
    WINDOWS_81("Microsoft Windows 8.1 Enterprise", "6.3.9600", false, DotNet.V452, DotNet.V48, "KB2919355", "KB5031419"),
    WINDOWS_10_LTSC_2019("Microsoft Windows 10 Enterprise LTSC 2019", "10.0.17763", false, DotNet.V472, DotNet.V48, "KB5032196"),
    WINDOWS_10("Microsoft Windows 10 Enterprise", "10.0.19045", false, DotNet.V48, DotNet.V481, "KB5032189"),
    WINDOWS_11("Microsoft Windows 11 Enterprise", "10.0.22631", false, DotNet.V481, DotNet.V481, "KB5032190"),
    WINDOWS_11_24H2("Microsoft Windows 11 Enterprise", "10.0.26100", false, DotNet.V481, DotNet.V481, "KB5044284"),
    SERVER_2008_R2("Microsoft Windows Server 2008 R2 Standard", "6.1.7601", true, DotNet.V452, DotNet.V48, "KB2533623", "KB3033929", "KB4474419"),
    SERVER_2012("Microsoft Windows Server 2012 Standard", "6.2.9200", true, DotNet.V452, DotNet.V48, "KB5031442"),
    SERVER_2012_R2("Microsoft Windows Server 2012 R2 Standard", "6.3.9600", true, DotNet.V452, DotNet.V48, "KB2919355", "KB5031419"),
    SERVER_2016("Microsoft Windows Server 2016 Standard", "10.0.14393", true, DotNet.V462, DotNet.V48, "KB5032197"),
    SERVER_2019("Microsoft Windows Server 2019 Standard", "10.0.17763", true, DotNet.V472, DotNet.V48, "KB5032196"),
    SERVER_2022("Microsoft Windows Server 2022 Standard", "10.0.20348", true, DotNet.V48, DotNet.V481, "KB5032198");

    private final String caption;
    private final String version;
    private final boolean server;
    private final DotNet ships;
    private final DotNet newest;
    private final String[] baseline;
    private final MachineSnapshot.Os x64;
    private final MachineSnapshot.Os x86;

    OsKind(String caption, String version, boolean server, DotNet ships, DotNet newest, String... baseline) {
        this.caption = caption;
        this.version = version;
        this.server = server;
        this.ships = ships;
        this.newest = newest;
        this.baseline = baseline;
        String productType = server ? "server" : "workstation";
        this.x64 = new MachineSnapshot.Os(caption, version, productType, "x64");
        this.x86 = new MachineSnapshot.Os(caption, version, productType, "x86");
    }

    public String caption() {
        return caption;
    }

    public String version() {
        return version;
    }

    public boolean isServer() {
        return server;
    }

    /** 61, 62, 63 or 100: major * 10 + minor, for comparisons. */
    public int nt() {
        return Versions.part(version, 0) * 10 + Versions.part(version, 1);
    }

    /** The shared {@code os} section of a snapshot. */
    public MachineSnapshot.Os os(boolean x64Architecture) {
        return x64Architecture ? x64 : x86;
    }

    DotNet ships() {
        return ships;
    }

    DotNet newest() {
        return newest;
    }

    String[] baseline() {
        return baseline;
    }

    /** .NET Framework 4.x versions with their {@code Release} DWORD on this OS (Microsoft's table). */
    enum DotNet {
        V452("4.5.2"), V461("4.6.1"), V462("4.6.2"), V472("4.7.2"), V48("4.8"), V481("4.8.1");

        final String version;

        DotNet(String version) {
            this.version = version;
        }

        static DotNet of(String version) {
            for (DotNet d : values()) {
                if (d.version.equals(version.toLowerCase(Locale.ROOT))) {
                    return d;
                }
            }
            return null;
        }

        long release(OsKind os) {
            return switch (this) {
                case V452 -> 379893;
                case V461 -> os == WINDOWS_10 ? 394254 : 394271;
                case V462 -> os == SERVER_2016 ? 394802 : 394806;
                case V472 -> os == SERVER_2019 || os == WINDOWS_10_LTSC_2019 ? 461808 : 461814;
                case V48 -> switch (os) {
                    case WINDOWS_10 -> 528372;
                    case WINDOWS_11, WINDOWS_11_24H2, SERVER_2022 -> 528449;
                    default -> 528049;
                };
                case V481 -> os == WINDOWS_11 || os == WINDOWS_11_24H2 ? 533320 : 533325;
            };
        }
    }
}
