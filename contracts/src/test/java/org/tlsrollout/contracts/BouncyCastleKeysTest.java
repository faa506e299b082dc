package org.tlsrollout.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

class BouncyCastleKeysTest {
    private static final String BC_KEYS = "org.bouncycastle.";

    @Test
    void convertsEcKeysToBouncyCastlesOwnOnceEach() throws Exception {
        KeyPair pair = p256();
        assertThat(BouncyCastleKeys.convert(pair.getPublic()).getClass().getName()).startsWith(BC_KEYS);
        assertThat(BouncyCastleKeys.convert(pair.getPrivate()).getClass().getName()).startsWith(BC_KEYS);
        assertThat(BouncyCastleKeys.convert(pair.getPublic()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(BouncyCastleKeys.convert(pair.getPrivate())).isSameAs(BouncyCastleKeys.convert(pair.getPrivate()));
        SecretKeySpec secret = new SecretKeySpec(new byte[32], "HmacSHA256");
        assertThat(BouncyCastleKeys.convertVerificationKey(secret)).isSameAs(secret);
    }

    @Test
    void signaturesOnBouncyCastleAndOnTheJdkVerifyEachOther() throws Exception {
        KeyPair pair = p256();
        String onBouncyCastle = sign(pair, true);
        String onJdk = sign(pair, false);
        assertThat(verifies(onBouncyCastle, pair, false)).isTrue();
        assertThat(verifies(onJdk, pair, true)).isTrue();
        assertThat(verifies(onBouncyCastle, pair, true)).isTrue();
        // Another key's signature does not verify on BouncyCastle.
        assertThat(verifies(onBouncyCastle, p256(), true)).isFalse();
        // Nor one whose payload was swapped for another's.
        String[] signed = onBouncyCastle.split("\\.");
        String[] other = sign(pair, true, "{\"sub\":\"machine-2\"}").split("\\.");
        assertThat(verifies(signed[0] + "." + other[1] + "." + signed[2], pair, true)).isFalse();
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String sign(KeyPair pair, boolean bouncyCastle) throws JoseException {
        return sign(pair, bouncyCastle, "{\"sub\":\"machine-1\"}");
    }

    private static String sign(KeyPair pair, boolean bouncyCastle, String payload) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKey(bouncyCastle ? BouncyCastleKeys.convert(pair.getPrivate()) : pair.getPrivate());
        if (bouncyCastle) {
            jws.setProviderContext(BouncyCastleKeys.PROVIDER_CONTEXT);
        }
        return jws.getCompactSerialization();
    }

    private static boolean verifies(String compact, KeyPair pair, boolean bouncyCastle) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(compact);
        jws.setKey(bouncyCastle ? BouncyCastleKeys.convertVerificationKey(pair.getPublic()) : pair.getPublic());
        if (bouncyCastle) {
            jws.setProviderContext(BouncyCastleKeys.PROVIDER_CONTEXT);
        }
        return jws.verifySignature();
    }
}
