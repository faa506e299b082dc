package org.tlsrollout.contracts;

/** The rule catalog's ids with the phase and severity rules.md gives each (catalog v1). */
public enum RuleId {
    WINHTTP_KB3140245(Phase.CLIENTS, Severity.ERROR),
    WINHTTP_DEFAULT_SECURE_PROTOCOLS(Phase.CLIENTS, Severity.ERROR),
    SCHANNEL_TLS12_CLIENT(Phase.CLIENTS, Severity.ERROR),
    SCHANNEL_TLS12_SERVER(Phase.SITE_SYSTEMS, Severity.ERROR),
    DOTNET_VERSION(Phase.CLIENTS, Severity.ERROR),
    DOTNET_STRONG_CRYPTO(Phase.CLIENTS, Severity.ERROR),
    DOTNET_SYSTEM_DEFAULT_TLS(Phase.CLIENTS, Severity.ERROR),
    SQL_SERVER_TLS12(Phase.SITE_SYSTEMS, Severity.ERROR),
    SQL_SECONDARY_SITE_VERSION(Phase.SITE_SYSTEMS, Severity.ERROR),
    SQL_NATIVE_CLIENT(Phase.SITE_SYSTEMS, Severity.ERROR),
    WSUS_TLS12_UPDATE(Phase.SITE_SYSTEMS, Severity.ERROR),
    FIPS_POLICY(Phase.CLIENTS, Severity.WARNING),
    DOTNET_48_CONSOLE(Phase.CLIENTS, Severity.WARNING),
    REBOOT_COMPLETED(Phase.VERIFY, Severity.ERROR),
    TLS12_HANDSHAKE(Phase.VERIFY, Severity.ERROR),
    KNOWN_TLS_ERRORS(Phase.VERIFY, Severity.ERROR),
    SCHANNEL_LEGACY_DISABLED(Phase.DISABLE_LEGACY, Severity.ERROR);

    /**
     * The ENABLE rules belong to CLIENTS on clients and to SITE_SYSTEMS on site systems (rules.md, "Rollout
     * phases"); {@link #phase} is the phase of the rules that concern one class only, and the CLIENTS phase
     * for the ENABLE rules that concern every machine. Use {@link #phaseFor(MachineClass)} for a result.
     */
    private final Phase phase;
    private final Severity severity;

    RuleId(Phase phase, Severity severity) {
        this.phase = phase;
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }

    /** True for ENABLE rules: their phase follows the machine's class. */
    public boolean isEnableRule() {
        return phase == Phase.CLIENTS || phase == Phase.SITE_SYSTEMS;
    }

    /** The phase a result of this rule belongs to on a machine of the given class. */
    public Phase phaseFor(MachineClass machineClass) {
        if (isEnableRule()) {
            return machineClass == MachineClass.CLIENT ? Phase.CLIENTS : Phase.SITE_SYSTEMS;
        }
        return phase;
    }
}
