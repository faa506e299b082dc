package org.tlsrollout.common.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.tlsrollout.contracts.EcPem;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.lang.JoseException;

/**
 * EC P-256 keys for ES256: PKCS#8 PEM files (as {@code openssl genpkey -algorithm EC -pkeyopt
 * ec_paramgen_curve:P-256} writes them), RFC 7638 key ids and RFC 7517 key sets.
 */
public final class EcKeys {

    private EcKeys() {
    }

    public static KeyPair generate() {
        return EcPem.generate();
    }

    public static String toPem(KeyPair pair) {
        return EcPem.toPem(pair);
    }

    /** Reads a PKCS#8 PEM private key and derives its public key. */
    public static KeyPair fromPem(String pem) {
        return EcPem.fromPem(pem);
    }

    /**
     * The key in {@code file}; when there is none, a new one, written there readable by its owner only: on a POSIX file
     * system the file (and a directory made for it) is created with those permissions, so the key is never readable by
     * others, whatever the umask; elsewhere (Windows) the file inherits its directory's access list.
     */
    public static KeyPair loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return fromPem(Files.readString(file));
            }
            KeyPair pair = generate();
            boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            // A leftover of an interrupted start may have other permissions: never write into it.
            Files.deleteIfExists(tmp);
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, toPem(pair), StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the key file " + file, e);
        }
    }

    /** RFC 7638 thumbprint of the public key, used as {@code kid}. */
    public static String kid(PublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key).calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (JoseException e) {
            throw new IllegalArgumentException("not a key that JWK can describe", e);
        }
    }

    /** The JWKS document (RFC 7517) of these public keys, each with its kid, {@code use=sig} and {@code alg=ES256}. */
    public static String jwks(List<PublicKey> keys) {
        try {
            List<JsonWebKey> jwks = new ArrayList<>();
            for (PublicKey key : keys) {
                PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key);
                jwk.setKeyId(kid(key));
                jwk.setUse("sig");
                jwk.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
                jwks.add(jwk);
            }
            return new JsonWebKeySet(jwks).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalArgumentException("cannot describe the keys as JWK", e);
        }
    }
}
