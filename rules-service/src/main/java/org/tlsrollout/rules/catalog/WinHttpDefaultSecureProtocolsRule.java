package org.tlsrollout.rules.catalog;

import static org.tlsrollout.contracts.RegistryKeys.DEFAULT_SECURE_PROTOCOLS;

import java.util.ArrayList;
import java.util.List;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.ActionPolicy;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;

/**
 * {@code WINHTTP_DEFAULT_SECURE_PROTOCOLS}: on OS 6.1 and 6.2, WINHTTP {@code DefaultSecureProtocols} has the
 * TLS 1.2 bit 0x800, and so does WINHTTP-WOW on x64; an absent value fails. A failing value is set to
 * {@code current OR 0xA00} (adds TLS 1.1 and 1.2, keeps what is there), or to {@code 0xAA0} when absent
 * (002: "keeps these defaults, and also enables TLS 1.1 and TLS 1.2"), then the machine restarts (002: "If you
 * change this value, restart the computer"). The allowlist pins the value to the bits of TLS 1.0-1.3 and SSL 3.0
 * (0x2AA0, rules.md): a current bit outside them (SSL 2.0's 0x008) is dropped, or no job would be signed.
 */
final class WinHttpDefaultSecureProtocolsRule extends CatalogRule {
    static final long TLS12 = 0x800;
    static final long ADD_TLS11_TLS12 = 0xA00;
    static final long WHEN_ABSENT = 0xAA0;
    static final long ALLOWED_BITS = ActionPolicy.WINHTTP_ALLOWED_BITS;
    static final String RESTART_REASON = "WinHTTP DefaultSecureProtocols takes effect after a restart";

    private static final int WINHTTP = RegistryView.slot(RegistryKeys.WINHTTP);
    private static final int WINHTTP_WOW = RegistryView.slot(RegistryKeys.WINHTTP_WOW);

    WinHttpDefaultSecureProtocolsRule() {
        super(RuleId.WINHTTP_DEFAULT_SECURE_PROTOCOLS, "001, 002, 003");
    }

    @Override
    RuleResult evaluate(Evaluation e) {
        if (!e.osKnown()) {
            return unknown(e, "OS version not reported; this rule concerns OS 6.1 and 6.2");
        }
        if (e.osBefore61()) {
            return notApplicable(e, () -> "OS " + e.osText + WinHttpKb3140245Rule.BEFORE_6_1 + " ("
                    + DEFAULT_SECURE_PROTOCOLS + " comes with that update)");
        }
        if (!e.os61or62()) {
            return notApplicable(e, () -> "OS " + e.osText + ": WinHTTP supports TLS 1.2 natively from OS 6.3 on; "
                    + DEFAULT_SECURE_PROTOCOLS + " matters on OS 6.1 and 6.2 only");
        }
        if (!e.architectureKnown()) {
            return unknown(e, "OS architecture not reported: cannot tell whether the Wow6432Node key applies");
        }
        if (e.registry == null) {
            return unknown(e, "registry section not reported; expected " + DEFAULT_SECURE_PROTOCOLS
                    + " with bit 0x800 (TLS 1.2) in " + RegistryKeys.WINHTTP);
        }
        Long native64 = e.registry.value(WINHTTP, DEFAULT_SECURE_PROTOCOLS);
        Long wow = e.x64 ? e.registry.value(WINHTTP_WOW, DEFAULT_SECURE_PROTOCOLS) : null;
        boolean nativeOk = hasTls12(native64);
        boolean wowOk = !e.x64 || hasTls12(wow);
        if (nativeOk && wowOk) {
            return pass(e, () -> DEFAULT_SECURE_PROTOCOLS + " has bit 0x800 (TLS 1.2): " + RegistryKeys.WINHTTP + " = "
                    + Fixes.hex(native64) + (e.x64 ? ", " + RegistryKeys.WINHTTP_WOW + " = " + Fixes.hex(wow) : ""));
        }
        StringBuilder found = new StringBuilder(256);
        List<Action> fixes = new ArrayList<>(2);
        if (!nativeOk) {
            describe(found, RegistryKeys.WINHTTP, native64);
            fixes.add(fix(RegistryKeys.WINHTTP, native64));
        }
        if (!wowOk) {
            describe(found, RegistryKeys.WINHTTP_WOW, wow);
            fixes.add(fix(RegistryKeys.WINHTTP_WOW, wow));
        }
        found.append("; expected bit 0x800 (TLS 1.2) set, e.g. 0xAA0");
        if (outsideAllowed(native64, nativeOk) || (e.x64 && outsideAllowed(wow, wowOk))) {
            found.append(" (bits outside 0x2AA0, such as SSL 2.0's 0x008, are dropped by the fix: the allowlist "
                    + "does not permit them)");
        }
        return fail(e, found.toString(), Fixes.thenRestart(fixes, RESTART_REASON));
    }

    private static boolean hasTls12(Long value) {
        return value != null && (value & TLS12) != 0;
    }

    private static void describe(StringBuilder sb, String key, Long value) {
        if (sb.length() > 0) {
            sb.append("; ");
        }
        sb.append(key).append(' ').append(DEFAULT_SECURE_PROTOCOLS);
        if (value == null) {
            sb.append(" is absent");
        } else {
            sb.append(" = ").append(Fixes.hex(value)).append(", without bit 0x800 (TLS 1.2)");
        }
    }

    private static boolean outsideAllowed(Long value, boolean ok) {
        return !ok && value != null && (value & ~ALLOWED_BITS) != 0;
    }

    private static Action fix(String key, Long current) {
        return Fixes.set(key, DEFAULT_SECURE_PROTOCOLS,
                current == null ? WHEN_ABSENT : (current & ALLOWED_BITS) | ADD_TLS11_TLS12);
    }
}
