package org.tlsrollout.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Es256ProviderTest {

    /** Every provider this JVM can run ES256 on: BouncyCastle always, ACCP where its native library loads. */
    static List<Provider> providers() {
        List<Provider> providers = new ArrayList<>();
        Es256Provider.amazonCorretto().ifPresent(providers::add);
        providers.add(Es256Provider.bouncyCastle());
        return providers;
    }

    @Test
    void onLinuxX86_64TheAmazonCorrettoCryptoProviderIsChosen() {
        String arch = System.getProperty("os.arch");
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")
                && (arch.equals("amd64") || arch.equals("x86_64")), "the project ships ACCP's linux-x86_64 build only");
        assumeTrue(System.getProperty(Es256Provider.PROPERTY) == null && System.getenv(Es256Provider.ENVIRONMENT) == null,
                "the provider is chosen by hand in this JVM");
        assertThat(Es256Provider.provider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(Security.getProviders()[Security.getProviders().length - 1]).isSameAs(Es256Provider.provider())
                .as("added last, so that nothing else in the JVM picks it by default");
    }

    @Test
    void bouncyCastleIsChosenWhenAskedAndAnythingElseIsRefused() {
        assertThat(Es256Provider.choose("BC").getName()).isEqualTo("BC");
        assertThat(Es256Provider.choose(" bc ").getName()).isEqualTo("BC");
        assertThatThrownBy(() -> Es256Provider.choose("SunEC")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Es256Provider.PROPERTY).hasMessageContaining("auto or BC");
    }

    @Test
    void convertsEcJwkToTheProvidersOwnOnceEach() throws Exception {
        KeyPair pair = p256();
        PublicKey publicKey = Es256Provider.convert(pair.getPublic());
        PrivateKey privateKey = Es256Provider.convert(pair.getPrivate());
        assertThat(publicKey).isNotSameAs(pair.getPublic());
        assertThat(publicKey.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(privateKey).isSameAs(Es256Provider.convert(pair.getPrivate()));
        assertThat(Es256Provider.convertVerificationKey(pair.getPublic())).isSameAs(publicKey);
        SecretKeySpec secret = new SecretKeySpec(new byte[32], "HmacSHA256");
        assertThat(Es256Provider.convertVerificationKey(secret)).isSameAs(secret);
    }

    @ParameterizedTest
    @MethodSource("providers")
    void signaturesOnTheProviderAndOnTheJdkVerifyEachOther(Provider provider) throws Exception {
        KeyPair pair = p256();
        ProviderContext context = Es256Provider.providerContext(provider);
        String onProvider = sign(pair, provider, context, "{\"sub\":\"machine-1\"}");
        String onJdk = sign(pair, null, null, "{\"sub\":\"machine-1\"}");
        assertThat(verifies(onProvider, pair.getPublic(), null, null)).isTrue();
        assertThat(verifies(onJdk, pair.getPublic(), provider, context)).isTrue();
        assertThat(verifies(onProvider, pair.getPublic(), provider, context)).isTrue();
        // Another key's signature does not verify on the provider.
        assertThat(verifies(onProvider, p256().getPublic(), provider, context)).isFalse();
        // Nor one whose payload was swapped for another's.
        String[] signed = onProvider.split("\\.");
        String[] other = sign(pair, provider, context, "{\"sub\":\"machine-2\"}").split("\\.");
        assertThat(verifies(signed[0] + "." + other[1] + "." + signed[2], pair.getPublic(), provider, context)).isFalse();
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String sign(KeyPair pair, Provider provider, ProviderContext context, String payload)
            throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKey(provider == null ? pair.getPrivate() : (Key) Es256Provider.convert(provider, pair.getPrivate()));
        if (context != null) {
            jws.setProviderContext(context);
        }
        return jws.getCompactSerialization();
    }

    private static boolean verifies(String compact, PublicKey key, Provider provider, ProviderContext context)
            throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(compact);
        jws.setKey(provider == null ? key : Es256Provider.convert(provider, key));
        if (context != null) {
            jws.setProviderContext(context);
        }
        return jws.verifySignature();
    }
}
