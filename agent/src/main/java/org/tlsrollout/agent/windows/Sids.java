package org.tlsrollout.agent.windows;

import com.sun.jna.platform.win32.Advapi32Util;

/**
 * The account name of a well-known SID in this machine's display language ("BUILTIN\Administratoren" on a German
 * Windows), through Advapi32 LookupAccountSid. <b>Never run on Windows by this project.</b>
 */
public final class Sids {
    public static final String SYSTEM = "S-1-5-18";
    public static final String ADMINISTRATORS = "S-1-5-32-544";

    private Sids() {
    }

    /** {@code DOMAIN\name} of the SID. */
    public static String accountName(String sid) {
        Advapi32Util.Account a = Advapi32Util.getAccountBySid(sid);
        return a.domain == null || a.domain.isEmpty() ? a.name : a.domain + "\\" + a.name;
    }
}
