package org.tlsrollout.rules.catalog;

import java.util.EnumMap;
import java.util.Map;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.KnownErrorId;

/** rules.md, "Known errors" (from 001, "Known issues"): each signature's resolution and action. */
final class KnownErrorResolutions {
    static final String RESTART_REASON = "the resolution of a known TLS error (001, Known issues) asks for a restart";

    /** A resolution; {@code action} is null where the table gives none. */
    record Resolution(String text, Action action) {
    }

    private static final Map<KnownErrorId, Resolution> TABLE = new EnumMap<>(KnownErrorId.class);

    static {
        Action restart = Action.restart(RESTART_REASON);
        put(KnownErrorId.SQL_SSL_SECURITY_ERROR, ".NET Framework updated with strong cryptography on every machine; "
                + "SQL Server updated on its host; SQL client components updated on site servers, SMS Provider, "
                + "site systems", null);
        put(KnownErrorId.SRSRP_CONNECTION_CLOSED, ".NET updated with strong cryptography on all relevant computers; "
                + "SMS_Executive restarted after the updates", Action.restartService(Fixes.SMS_EXECUTIVE));
        put(KnownErrorId.APPCATALOG_SOAP_NEGOTIATION, ".NET with strong cryptography; W2SP.exe.config with the "
                + "AppContextSwitchOverrides of 001 in the InetSrv folder; HTTPS transport for Application Catalog "
                + "roles; restart", restart);
        put(KnownErrorId.SCP_UPLOAD_FAILED, ".NET with strong cryptography on each computer; restart", restart);
        put(KnownErrorId.CONSOLE_INTUNE_ONBOARDING, ".NET with strong cryptography; restart", restart);
        put(KnownErrorId.CONSOLE_AZURE_SIGNIN, ".NET with strong cryptography; restart", restart);
        put(KnownErrorId.WSUS_COMMUNICATION_FAILED, "KB4022721 (2012) or KB4022720 (2012 R2) on the WSUS server", null);
        put(KnownErrorId.CLIENT_SITE_COMMUNICATION_FAILED, "Windows and WinHTTP updated for TLS 1.2 (KB3140245 and "
                + "DefaultSecureProtocols)", null);
        for (KnownErrorId id : KnownErrorId.values()) {
            if (!TABLE.containsKey(id)) {
                throw new IllegalStateException("no resolution for known error " + id);
            }
        }
    }

    private KnownErrorResolutions() {
    }

    static Resolution of(KnownErrorId id) {
        return TABLE.get(id);
    }

    private static void put(KnownErrorId id, String text, Action action) {
        TABLE.put(id, new Resolution(text, action));
    }
}
