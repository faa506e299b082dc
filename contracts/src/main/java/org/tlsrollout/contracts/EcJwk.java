package org.tlsrollout.contracts;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.util.Map;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/** EC P-256 public keys as JWKs (RFC 7517) and their RFC 7638 thumbprints: agent keys and job-signing keys. */
public final class EcJwk {

    private EcJwk() {
    }

    /** The public JWK of a P-256 key ({@code kty}, {@code crv}, {@code x}, {@code y}). */
    public static Map<String, Object> toJwk(PublicKey key) {
        return new EllipticCurveJsonWebKey(requireP256(key)).toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /**
     * The public key of a JWK of kty {@code EC}, crv {@code P-256}; refuses anything else, and a JWK that carries a
     * private part ({@code d}): an agent must never send its private key.
     */
    public static ECPublicKey fromJwk(Map<String, Object> jwk) throws InvalidKeyException {
        if (jwk == null) {
            throw new InvalidKeyException("no key");
        }
        if (!"EC".equals(jwk.get("kty")) || !"P-256".equals(jwk.get("crv"))) {
            throw new InvalidKeyException("not an EC P-256 key (kty EC, crv P-256)");
        }
        if (jwk.containsKey("d")) {
            throw new InvalidKeyException("the key holds a private part (d): send the public key only");
        }
        try {
            PublicJsonWebKey parsed = PublicJsonWebKey.Factory.newPublicJwk(jwk);
            ECPublicKey key = requireP256(parsed.getPublicKey());
            if (!isOnCurve(key)) {
                // jose4j does not check it; a point off the curve is the invalid-curve attack's way in.
                throw new InvalidKeyException("the point (x, y) is not on the P-256 curve");
            }
            return key;
        } catch (JoseException | RuntimeException e) {
            throw new InvalidKeyException("not a valid EC P-256 JWK: " + e.getMessage());
        }
    }

    /** The RFC 7638 SHA-256 thumbprint of a P-256 public key, base64url. */
    public static String thumbprint(PublicKey key) {
        return new EllipticCurveJsonWebKey(requireP256(key)).calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /** y^2 = x^3 + ax + b (mod p), with x and y below p. */
    static boolean isOnCurve(ECPublicKey key) {
        var curve = key.getParams().getCurve();
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = key.getW().getAffineX();
        BigInteger y = key.getW().getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return y.modPow(BigInteger.TWO, p).equals(right);
    }

    private static ECPublicKey requireP256(PublicKey key) {
        if (key instanceof ECPublicKey ec
                && EllipticCurves.P256.getCurve().equals(ec.getParams().getCurve())) {
            return ec;
        }
        throw new IllegalArgumentException("not an EC P-256 public key");
    }

    /** A key that is not an acceptable EC P-256 public JWK; the message says why. */
    public static final class InvalidKeyException extends Exception {
        public InvalidKeyException(String message) {
            super(message);
        }
    }
}
