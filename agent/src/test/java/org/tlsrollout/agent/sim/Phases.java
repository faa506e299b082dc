package org.tlsrollout.agent.sim;

import java.util.ArrayList;
import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.Role;

/** The actions remediation-service would send in each phase (rules.md), for tests of the simulated estate. */
final class Phases {
    private Phases() {
    }

    /** ENABLE rules of a client (CLIENTS phase). */
    static List<Action> enableClient(SimulatedMachine m) {
        List<Action> a = new ArrayList<>();
        int nt = m.osKind().nt();
        if ((nt == 61 || nt == 62) && !m.hasHotfix("KB3140245")) {
            a.add(Action.installUpdate("KB3140245"));
        }
        if (nt == 61 || nt == 62) {
            a.add(Action.setDword(RegistryKeys.WINHTTP, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0));
            if (m.isX64()) {
                a.add(Action.setDword(RegistryKeys.WINHTTP_WOW, RegistryKeys.DEFAULT_SECURE_PROTOCOLS, 0xAA0));
            }
        }
        a.addAll(schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT, 1, 0));
        a.addAll(dotnet(m));
        a.add(Action.restart("TLS 1.2 enabled"));
        return a;
    }

    /** ENABLE rules of a site system (SITE_SYSTEMS phase). */
    static List<Action> enableSiteSystem(SimulatedMachine m) {
        List<Action> a = new ArrayList<>();
        a.addAll(schannel(RegistryKeys.SCH_TLS12, RegistryKeys.CLIENT, 1, 0));
        a.addAll(schannel(RegistryKeys.SCH_TLS12, RegistryKeys.SERVER, 1, 0));
        a.addAll(dotnet(m));
        if (m.hasRole(Role.SOFTWARE_UPDATE_POINT) && m.osKind().nt() == 62) {
            a.add(Action.installUpdate("KB4022721"));
        }
        if (m.hasRole(Role.SOFTWARE_UPDATE_POINT) && m.osKind().nt() == 63) {
            a.add(Action.installUpdate("KB4022720"));
        }
        a.add(Action.restart("TLS 1.2 enabled"));
        return a;
    }

    /** DISABLE rules: SSL 3.0, TLS 1.0, TLS 1.1 off on both sides. */
    static List<Action> disableLegacy() {
        List<Action> a = new ArrayList<>();
        for (String p : RegistryKeys.LEGACY_PROTOCOLS) {
            a.addAll(schannel(p, RegistryKeys.CLIENT, 0, 1));
            a.addAll(schannel(p, RegistryKeys.SERVER, 0, 1));
        }
        a.add(Action.restart("legacy protocols disabled"));
        return a;
    }

    private static List<Action> schannel(String protocol, String side, long enabled, long disabledByDefault) {
        String key = RegistryKeys.schannel(protocol, side);
        return List.of(Action.setDword(key, RegistryKeys.ENABLED, enabled),
                Action.setDword(key, RegistryKeys.DISABLED_BY_DEFAULT, disabledByDefault));
    }

    private static List<Action> dotnet(SimulatedMachine m) {
        List<Action> a = new ArrayList<>();
        List<String> keys = m.isX64()
                ? List.of(RegistryKeys.NET4, RegistryKeys.NET2, RegistryKeys.NET4_WOW, RegistryKeys.NET2_WOW)
                : List.of(RegistryKeys.NET4, RegistryKeys.NET2);
        for (String k : keys) {
            a.add(Action.setDword(k, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1));
            a.add(Action.setDword(k, RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS, 1));
        }
        return a;
    }
}
