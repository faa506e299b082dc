package org.tlsrollout.remediation.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.bc.BouncyCastleProviderSingleton;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.jboss.logging.Logger;
import org.tlsrollout.common.keys.EcKeys;
import org.tlsrollout.contracts.JobClaims;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.remediation.config.RemediationConfig;

/**
 * Signs fix jobs (api.md, "Signed fix jobs"): JWS compact serialization, {@code alg} ES256, {@code kid} = the RFC 7638
 * thumbprint of the active key, {@code typ} {@value JobClaims#TYPE}, the payload the {@link JobClaims} JSON. Signed
 * with Nimbus JOSE on the BouncyCastle provider, with the key converted once to a BouncyCastle key (about 65 to 110 us a
 * signature, depending on the CPU, against 400 to 600 with the JDK's own provider); agents verify with jose4j.
 * <p>
 * Each signing thread has its own signer and its own source of randomness (a DRBG, as BouncyCastle's default source
 * for its point blinding too): with the one {@code NativePRNG} the JDK shares, the threads queued on its lock at every
 * signature.
 * <p>
 * The active key is {@code remediation.signing.key-file} (made once when missing); the keys of
 * {@code remediation.signing.previous-key-files} sign nothing but stay in the JWKS ({@link #jwks()}), so that a key can
 * be rotated while agents still hold jobs signed with the previous one.
 */
@Startup
@ApplicationScoped
public class JobSigner {
    private static final Logger LOG = Logger.getLogger(JobSigner.class);

    private final String kid;
    private final JWSHeader header;
    private final ThreadLocal<ECDSASigner> signer;
    private final String jwks;
    private final ExecutorService pool;
    private final int threads;

    public JobSigner(RemediationConfig config) {
        Path keyFile = config.signing().keyFile();
        KeyPair active = EcKeys.loadOrCreate(keyFile);
        this.kid = EcKeys.kid(active.getPublic());
        List<PublicKey> trusted = new ArrayList<>();
        trusted.add(active.getPublic());
        for (Path previous : config.signing().previousKeyFiles().orElse(List.of())) {
            PublicKey key = read(previous).getPublic();
            if (!EcKeys.kid(key).equals(kid)) {
                trusted.add(key);
            }
        }
        this.jwks = EcKeys.jwks(trusted);
        try {
            // The key as BouncyCastle's own: with a key of the JDK's provider, BouncyCastle converts the curve
            // parameters at every signature, which costs more than the signature itself (about 290 us against 110).
            PrivateKey bcKey = KeyFactory.getInstance("EC", BouncyCastleProviderSingleton.getInstance())
                    .generatePrivate(new PKCS8EncodedKeySpec(active.getPrivate().getEncoded()));
            newSigner((ECPrivateKey) bcKey);
            this.signer = ThreadLocal.withInitial(() -> newSigner((ECPrivateKey) bcKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the key in " + keyFile + " cannot sign ES256: " + e.getMessage(), e);
        }
        CryptoServicesRegistrar.setSecureRandomProvider(RANDOM::get);
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(kid)
                .type(new JOSEObjectType(JobClaims.TYPE))
                .build();
        this.threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "job-signer");
            t.setDaemon(true);
            return t;
        });
        LOG.infof("fix jobs are signed with key %s (%s); the JWKS holds %d key(s)", kid, keyFile, trusted.size());
    }

    /** BouncyCastle's source of randomness, one per thread (its default, the JDK's NativePRNG, has one shared lock). */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    });

    private static ECDSASigner newSigner(ECPrivateKey key) {
        try {
            ECDSASigner s = new ECDSASigner(key);
            s.getJCAContext().setProvider(BouncyCastleProviderSingleton.getInstance());
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

    /** One job, signed. */
    public String sign(JobClaims claims) {
        try {
            JWSObject jws = new JWSObject(header, new Payload(Json.MAPPER.writeValueAsString(claims)));
            jws.sign(signer.get());
            return jws.serialize();
        } catch (JsonProcessingException | JOSEException e) {
            throw new IllegalStateException("cannot sign job " + claims.jti() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Many jobs, signed on every core in parts of {@code partSize}, in order: the caller can store part 1 while part 2
     * is being signed. Each future holds the signatures of its part, in the order of {@code claims}.
     */
    public List<CompletableFuture<List<String>>> signInParts(List<JobClaims> claims, int partSize) {
        List<CompletableFuture<List<String>>> parts = new ArrayList<>();
        for (int from = 0; from < claims.size(); from += partSize) {
            List<JobClaims> part = claims.subList(from, Math.min(claims.size(), from + partSize));
            parts.add(CompletableFuture.supplyAsync(() -> part.stream().map(this::sign).toList(), pool));
        }
        return parts;
    }

    /** Many jobs, signed on every core; the result is in the order of {@code claims}. */
    public List<String> signAll(List<JobClaims> claims) {
        int n = claims.size();
        if (n < 64 || threads == 1) {
            return claims.stream().map(this::sign).toList();
        }
        String[] signed = new String[n];
        int slice = (n + threads - 1) / threads;
        List<Future<?>> parts = new ArrayList<>();
        for (int from = 0; from < n; from += slice) {
            int start = from;
            int end = Math.min(n, from + slice);
            parts.add(pool.submit(() -> {
                for (int i = start; i < end; i++) {
                    signed[i] = sign(claims.get(i));
                }
            }));
        }
        try {
            for (Future<?> part : parts) {
                part.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signing jobs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot sign jobs: " + e.getCause().getMessage(), e.getCause());
        }
        return List.of(signed);
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
