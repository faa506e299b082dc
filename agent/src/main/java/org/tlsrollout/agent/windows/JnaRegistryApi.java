package org.tlsrollout.agent.windows;

import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link RegistryApi} through Advapi32 (JNA jna-platform's {@link Advapi32Util}), with {@code KEY_WOW64_64KEY} or
 * {@code KEY_WOW64_32KEY} on every call. <b>Never run on Windows by this project's tests</b> (they run on Linux);
 * {@code WindowsRegistryTest} checks what is built over it with a map.
 */
public final class JnaRegistryApi implements RegistryApi {
    private static final WinReg.HKEY HKLM = WinReg.HKEY_LOCAL_MACHINE;

    private static int sam(View view) {
        return view == View.KEY32 ? WinNT.KEY_WOW64_32KEY : WinNT.KEY_WOW64_64KEY;
    }

    @Override
    public boolean keyExists(String subKey, View view) {
        return Advapi32Util.registryKeyExists(HKLM, subKey, sam(view));
    }

    @Override
    public Map<String, Object> values(String subKey, View view) {
        if (!keyExists(subKey, view)) {
            return null;
        }
        return Advapi32Util.registryGetValues(HKLM, subKey, sam(view));
    }

    @Override
    public List<String> subKeys(String subKey, View view) {
        if (!keyExists(subKey, view)) {
            return List.of();
        }
        return Arrays.asList(Advapi32Util.registryGetKeys(HKLM, subKey, sam(view)));
    }

    @Override
    public void setDword(String subKey, String name, int value, View view) {
        Advapi32Util.registryCreateKey(HKLM, subKey, sam(view)); // false when it existed: fine
        Advapi32Util.registrySetIntValue(HKLM, subKey, name, value, sam(view));
    }

    @Override
    public void deleteValue(String subKey, String name, View view) {
        try {
            Advapi32Util.registryDeleteValue(HKLM, subKey, name, sam(view));
        } catch (Win32Exception e) {
            if (e.getErrorCode() != WinError.ERROR_FILE_NOT_FOUND) {
                throw e;
            }
        }
    }
}
