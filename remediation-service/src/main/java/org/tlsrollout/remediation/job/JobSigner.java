package org.tlsrollout.remediation.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.jboss.logging.Logger;
import org.tlsrollout.common.keys.EcKeys;
import org.tlsrollout.contracts.EcJwk;
import org.tlsrollout.contracts.Endorsement;
import org.tlsrollout.contracts.Es256Provider;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.remediation.config.RemediationConfig;

/**
 * Signs fix jobs (api.md, "Signed fix jobs"): JWS compact serialization, {@code alg} ES256, {@code kid} = the RFC 7638
 * thumbprint of the active key, {@code typ} {@value JobClaims#TYPE}, the payload the {@link JobClaims} JSON. Signed
 * with Nimbus JOSE on {@link Es256Provider}'s provider (the Amazon Corretto Crypto Provider where it loads: about 18 us
 * a signature on the benchmark machine; else BouncyCastle: 100 to 140 us; the JDK's own takes 550 to 650), with the key
 * converted once to the provider's own; agents verify with jose4j.
 * <p>
 * Each signing thread has its own signer and its own source of randomness (a DRBG; BouncyCastle takes its randomness
 * from there, for its point blinding too, while ACCP uses AWS-LC's own): with the one {@code NativePRNG} the JDK
 * shares, the threads queued on its lock at every signature.
 * <p>
 * The active key is {@code remediation.signing.key-file} (made once when missing); the keys of
 * {@code remediation.signing.previous-key-files} sign nothing but stay in the JWKS ({@link #jwks()}), so that a key can
 * be rotated while agents still hold jobs signed with the previous one (until those expire: {@code remediation.jobs.ttl}).
 * A key whose file has an endorsement beside it ({@code <key file>.endorsement}) carries it in the JWKS.
 */
@Startup
@ApplicationScoped
public class JobSigner {
    private static final Logger LOG = Logger.getLogger(JobSigner.class);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String kid;
    private final JWSHeader header;
    private final String encodedHeader;
    private final ThreadLocal<ECDSASigner> signer;
    private final String jwks;
    private final ExecutorService pool;

    public JobSigner(RemediationConfig config) {
        Path keyFile = config.signing().keyFile();
        KeyPair active = EcKeys.loadOrCreate(keyFile);
        this.kid = EcKeys.kid(active.getPublic());
        List<KeyFile> trusted = new ArrayList<>();
        trusted.add(new KeyFile(keyFile, active.getPublic()));
        for (Path previous : config.signing().previousKeyFiles().orElse(List.of())) {
            PublicKey key = read(previous).getPublic();
            if (!EcKeys.kid(key).equals(kid)) {
                trusted.add(new KeyFile(previous, key));
            }
        }
        this.jwks = jwks(trusted);
        // The key as the provider's own: with a key of the JDK's provider, BouncyCastle converts the curve parameters
        // at every signature, which costs more than the signature itself (about 290 us against 110).
        PrivateKey providersKey = Es256Provider.convert(active.getPrivate());
        if (!(providersKey instanceof ECPrivateKey ecKey)) {
            throw new IllegalStateException("the key in " + keyFile + " is not an EC private key");
        }
        newSigner(ecKey);
        this.signer = ThreadLocal.withInitial(() -> newSigner(ecKey));
        CryptoServicesRegistrar.setSecureRandomProvider(RANDOM::get);
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(kid)
                .type(new JOSEObjectType(JobClaims.TYPE))
                .build();
        this.encodedHeader = header.toBase64URL().toString();
        this.pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "job-signer");
            t.setDaemon(true);
            return t;
        });
        LOG.infof("fix jobs are signed with key %s (%s) on %s; the JWKS holds %d key(s)", kid, keyFile,
                Es256Provider.provider().getName(), trusted.size());
    }

    /** The signers' source of randomness, one per thread (the JDK's default NativePRNG has one shared lock). */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    });

    private static final Provider PROVIDER = Es256Provider.provider();

    private static ECDSASigner newSigner(ECPrivateKey key) {
        try {
            ECDSASigner s = new ECDSASigner(key);
            s.getJCAContext().setProvider(PROVIDER);
            s.getJCAContext().setSecureRandom(RANDOM.get());
            return s;
        } catch (JOSEException e) {
            throw new IllegalStateException("the job-signing key cannot sign ES256: " + e.getMessage(), e);
        }
    }

    /**
     * Applies {@code work} to every item on the signing threads (every core), in parts of {@code partSize}, in order:
     * the caller can store part 1 while part 2 is being worked on. Each future holds the results of its part.
     */
    public <T, R> List<CompletableFuture<List<R>>> inParts(List<T> items, int partSize, Function<T, R> work) {
        List<CompletableFuture<List<R>>> parts = new ArrayList<>();
        for (int from = 0; from < items.size(); from += partSize) {
            List<T> part = items.subList(from, Math.min(items.size(), from + partSize));
            parts.add(CompletableFuture.supplyAsync(() -> {
                List<R> results = new ArrayList<>(part.size());
                for (T item : part) {
                    results.add(work.apply(item));
                }
                return results;
            }, pool));
        }
        return parts;
    }

    /** The kid of the active key, which signs every new job. */
    public String kid() {
        return kid;
    }

    /** The JWKS document (RFC 7517) of every trusted key: the active one first, then those rotated out. */
    public String jwks() {
        return jwks;
    }

    /**
     * One job, signed: {@code header.payload.signature}, each BASE64URL without padding (RFC 7515, 7.1). The
     * signing input is composed here, with the JDK's Base64 (cheaper than Nimbus' codec: docs/decisions.md,
     * "remediation-service's hot paths"); the signature is Nimbus' (ES256 on the provider, DER transcoded to R || S).
     */
    public String sign(JobClaims claims) {
        try {
            String signingInput = encodedHeader + "." + BASE64URL.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
            return signingInput + "." + signer.get().sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JsonProcessingException | JOSEException e) {
            throw new IllegalStateException("cannot sign job " + claims.jti() + ": " + e.getMessage(), e);
        }
    }

    /** A trusted key and the file it was read from (its endorsement, if any, lies beside it). */
    record KeyFile(Path file, PublicKey key) {
    }

    /**
     * The JWKS document of these keys, in order, each with its kid (RFC 7638 thumbprint), {@code use} sig and
     * {@code alg} ES256, and {@code endorsement} when a file {@code <key file>.endorsement} lies beside its key file
     * (written by the cli's {@code keys rotate}: agents take a new key only with a valid one), published verbatim.
     */
    static String jwks(List<KeyFile> keys) {
        List<Map<String, Object>> members = new ArrayList<>();
        for (KeyFile k : keys) {
            Map<String, Object> jwk = new LinkedHashMap<>(EcJwk.toJwk(k.key()));
            jwk.put("kid", EcKeys.kid(k.key()));
            jwk.put("use", "sig");
            jwk.put("alg", "ES256");
            endorsement(k.file()).ifPresent(e -> jwk.put(Endorsement.JWK_MEMBER, e));
            members.add(jwk);
        }
        try {
            return Json.MAPPER.writeValueAsString(Map.of("keys", members));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JWKS: " + e.getMessage(), e);
        }
    }

    /** The endorsement beside a key file, trimmed of surrounding white space, if there is one. */
    static Optional<String> endorsement(Path keyFile) {
        Path file = keyFile.resolveSibling(keyFile.getFileName() + Endorsement.FILE_SUFFIX);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String endorsement = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (endorsement.split("\\.", -1).length != 3) {
                LOG.warnf("%s is not a compact JWS: the key is published without it, and agents will not take it", file);
                return Optional.empty();
            }
            return Optional.of(endorsement);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the endorsement " + file, e);
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    private static KeyPair read(Path file) {
        try {
            return EcKeys.fromPem(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rotated-out job-signing key " + file, e);
        }
    }
}
