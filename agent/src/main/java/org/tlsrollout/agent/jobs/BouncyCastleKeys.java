package org.tlsrollout.agent.jobs;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jose4j.jca.ProviderContext;

/**
 * ES256 verification on the BouncyCastle provider instead of the JDK's pure-Java P-256 (about 600 us a
 * verification here), for agents that verify many jobs (the estate simulator). jose4j still does every check of
 * the JWS; only the provider of the signature primitive changes. BouncyCastle is added as the last provider, so
 * nothing else in the JVM picks it by default, and each trusted key is converted once to BouncyCastle's own
 * (with a key of the JDK's provider it would convert the key on every verification).
 */
final class BouncyCastleKeys {
    static final ProviderContext PROVIDER_CONTEXT;
    private static final Map<PublicKey, PublicKey> CONVERTED = new ConcurrentHashMap<>();

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
    static PublicKey convert(PublicKey key) {
        return CONVERTED.computeIfAbsent(key, k -> {
            try {
                return KeyFactory.getInstance(k.getAlgorithm(), BouncyCastleProvider.PROVIDER_NAME)
                        .generatePublic(new X509EncodedKeySpec(k.getEncoded()));
            } catch (GeneralSecurityException | RuntimeException e) {
                return k;
            }
        });
    }
}
