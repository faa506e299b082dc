package org.tlsrollout.rules.catalog;

import org.junit.jupiter.api.DisplayName;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;

/** 000: "\"SystemDefaultTlsVersions\" = dword:00000001" ... "The SystemDefaultTlsVersions setting allows .NET to use the OS configuration." */
@DisplayName("DOTNET_SYSTEM_DEFAULT_TLS, 000: \"SystemDefaultTlsVersions\" = dword:00000001")
class DotNetSystemDefaultTlsRuleTest extends DotNetRegistryRuleContract {
    @Override
    RuleId id() {
        return RuleId.DOTNET_SYSTEM_DEFAULT_TLS;
    }

    @Override
    String name() {
        return RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS;
    }

    @Override
    String otherName() {
        return RegistryKeys.SCH_USE_STRONG_CRYPTO;
    }
}
