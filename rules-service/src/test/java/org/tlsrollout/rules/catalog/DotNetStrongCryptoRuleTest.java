package org.tlsrollout.rules.catalog;

import org.junit.jupiter.api.DisplayName;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.RuleId;

/** 000: "Set the SchUseStrongCrypto registry setting to DWORD:00000001. This value disables the RC4 stream cipher and requires a restart." */
@DisplayName("DOTNET_STRONG_CRYPTO, 000: \"Set the SchUseStrongCrypto registry setting to DWORD:00000001\"")
class DotNetStrongCryptoRuleTest extends DotNetRegistryRuleContract {
    @Override
    RuleId id() {
        return RuleId.DOTNET_STRONG_CRYPTO;
    }

    @Override
    String name() {
        return RegistryKeys.SCH_USE_STRONG_CRYPTO;
    }

    @Override
    String otherName() {
        return RegistryKeys.SYSTEM_DEFAULT_TLS_VERSIONS;
    }
}
