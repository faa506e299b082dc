package org.tlsrollout.contracts;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.KeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jose4j.jca.ProviderContext;

/**
 * The JCA provider that makes and checks every ES256 signature where many are made (job signing and verification,
 * agent tokens), because the JDK's own P-256 is pure Java and several times slower (figures: docs/decisions.md, "ES256
 * on the Amazon Corretto Crypto Provider"). First choice the Amazon Corretto Crypto Provider, where its native
 * library loads and passes its self-tests (the project ships the {@code linux-x86_64} build); else BouncyCastle.
 * {@code -Dtlsrollout.es256-provider=BC} (or {@code TLSROLLOUT_ES256_PROVIDER=BC}) forces BouncyCastle. The signatures
 * are the same standard ECDSA whichever provider makes them. The provider is added as the JVM's last, so nothing else
 * picks it by default (TLS stays on the JDK's), and each key is converted once to the provider's own.
 */
public final class Es256Provider {
    /** {@code -D} property and environment variable that choose the provider: {@code auto} (default) or {@code BC}. */
    public static final String PROPERTY = "tlsrollout.es256-provider";
    static final String ENVIRONMENT = "TLSROLLOUT_ES256_PROVIDER";

    private static final Provider PROVIDER = choose(System.getProperty(PROPERTY, System.getenv(ENVIRONMENT)));
    /** Give to {@code JsonWebSignature#setProviderContext} or {@code JwtConsumerBuilder#setJwsProviderContext}. */
    public static final ProviderContext PROVIDER_CONTEXT = providerContext(PROVIDER);
    private static final Map<Key, Key> CONVERTED = new ConcurrentHashMap<>();

    private Es256Provider() {
    }

    /** The provider ES256 runs on in this JVM. */
    public static Provider provider() {
        return PROVIDER;
    }

    /** The same public key as the provider's own; the key itself when it cannot be converted (jose4j then decides). */
    public static PublicKey convert(PublicKey key) {
        return (PublicKey) CONVERTED.computeIfAbsent(key, k -> convert(PROVIDER, k));
    }

    /** The same private key as the provider's own; the key itself when it cannot be converted. */
    public static PrivateKey convert(PrivateKey key) {
        return (PrivateKey) CONVERTED.computeIfAbsent(key, k -> convert(PROVIDER, k));
    }

    /**
     * The verification key as the provider's own when it is a public key (what a {@code VerificationKeyResolver}
     * found), else the key itself.
     */
    public static Key convertVerificationKey(Key key) {
        return key instanceof PublicKey publicKey ? convert(publicKey) : key;
    }

    /** ACCP when asked for (or not refused) and usable here, else BouncyCastle; registered as the last provider. */
    static Provider choose(String asked) {
        String choice = asked == null || asked.isBlank() ? "AUTO" : asked.trim().toUpperCase(Locale.ROOT);
        Provider chosen = switch (choice) {
            case "AUTO" -> amazonCorretto().orElseGet(Es256Provider::bouncyCastle);
            case "BC" -> bouncyCastle();
            default -> throw new IllegalArgumentException(PROPERTY + " (" + ENVIRONMENT + ") is '" + asked
                    + "': auto or BC");
        };
        return registered(chosen);
    }

    /** The provider, added as the JVM's last one when it is not there yet (jose4j finds providers by name). */
    private static Provider registered(Provider provider) {
        if (Security.getProvider(provider.getName()) == null) {
            Security.addProvider(provider);
        }
        return provider;
    }

    /** The Amazon Corretto Crypto Provider, when its native library loaded on this platform and it signs ES256. */
    static Optional<Provider> amazonCorretto() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            if (accp.getLoadingError() != null) {
                return Optional.empty();
            }
            accp.assertHealthy();
            return signsAndVerifies(accp) ? Optional.of(accp) : Optional.empty();
        } catch (LinkageError | RuntimeException | GeneralSecurityException e) {
            // Not on the class path, no native library for this platform, or its self-tests failed.
            return Optional.empty();
        }
    }

    static Provider bouncyCastle() {
        Provider registered = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        return registered != null ? registered : new BouncyCastleProvider();
    }

    /** One ES256 signature made by the provider that the JDK's own provider verifies. */
    private static boolean signsAndVerifies(Provider provider) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] data = "tlsrollout".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA", provider);
        signer.initSign((PrivateKey) convert(provider, pair.getPrivate()));
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pair.getPublic());
        verifier.update(data);
        return verifier.verify(signature);
    }

    static Key convert(Provider provider, Key key) {
        boolean isPrivate = key instanceof PrivateKey;
        KeySpec encoded = isPrivate ? new PKCS8EncodedKeySpec(key.getEncoded()) : new X509EncodedKeySpec(key.getEncoded());
        try {
            KeyFactory factory = KeyFactory.getInstance(key.getAlgorithm(), provider);
            return isPrivate ? factory.generatePrivate(encoded) : factory.generatePublic(encoded);
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }

    static ProviderContext providerContext(Provider provider) {
        ProviderContext context = new ProviderContext();
        context.getSuppliedKeyProviderContext().setSignatureProvider(registered(provider).getName());
        return context;
    }
}
