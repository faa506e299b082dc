package org.tlsrollout.contracts;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jose4j.jca.ProviderContext;

/**
 * ES256 with jose4j on the BouncyCastle provider instead of the JDK's pure-Java P-256: on the 2-core benchmark
 * machine a signature took about 0.4 ms against 1-2 ms, a verification about 0.25 ms against 2 ms
 * (docs/benchmarks.md, B5). Used wherever many are made: the agent verifying jobs, the collector signing agent
 * tokens, every service verifying them. jose4j still does every check of the JWS and the JWT; only the provider of
 * the signature primitive changes. BouncyCastle is added as the last provider, so nothing else in the JVM picks it by
 * default, and each key is converted once to BouncyCastle's own (with a key of the JDK's provider BouncyCastle would
 * convert it on every operation).
 */
public final class BouncyCastleKeys {
    /** Give to {@code JsonWebSignature#setProviderContext} or {@code JwtConsumerBuilder#setJwsProviderContext}. */
    public static final ProviderContext PROVIDER_CONTEXT;
    private static final Map<Key, Key> CONVERTED = new ConcurrentHashMap<>();

    static {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        PROVIDER_CONTEXT = new ProviderContext();
        PROVIDER_CONTEXT.getSuppliedKeyProviderContext().setSignatureProvider(BouncyCastleProvider.PROVIDER_NAME);
    }

    private BouncyCastleKeys() {
    }

    /** The same public key as BouncyCastle's; the key itself when it cannot be converted (jose4j then decides). */
    public static PublicKey convert(PublicKey key) {
        return (PublicKey) CONVERTED.computeIfAbsent(key, k -> convert(k, new X509EncodedKeySpec(k.getEncoded()), false));
    }

    /** The same private key as BouncyCastle's; the key itself when it cannot be converted. */
    public static PrivateKey convert(PrivateKey key) {
        return (PrivateKey) CONVERTED.computeIfAbsent(key, k -> convert(k, new PKCS8EncodedKeySpec(k.getEncoded()), true));
    }

    /**
     * The verification key as BouncyCastle's when it is a public key (what a {@code VerificationKeyResolver} found),
     * else the key itself.
     */
    public static Key convertVerificationKey(Key key) {
        return key instanceof PublicKey publicKey ? convert(publicKey) : key;
    }

    private static Key convert(Key key, java.security.spec.KeySpec encoded, boolean isPrivate) {
        try {
            KeyFactory factory = KeyFactory.getInstance(key.getAlgorithm(), BouncyCastleProvider.PROVIDER_NAME);
            return isPrivate ? factory.generatePrivate(encoded) : factory.generatePublic(encoded);
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }
}
