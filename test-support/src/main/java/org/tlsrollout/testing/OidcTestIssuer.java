package org.tlsrollout.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * A local OpenID Connect issuer for the tests: an RSA key of its own, whose JWKS document a JDK HTTP server serves on
 * 127.0.0.1 (loopback http is accepted as trusted), and tokens it signs as a provider would (preferred_username, roles
 * in claim {@code roles}). As a test resource it sets {@code tlsrollout.auth.oidc.*}; registered for the whole test run
 * ({@code restrictToAnnotatedClass = false}) it costs no second start of the application, and the shared tokens stay
 * on beside it.
 */
public class OidcTestIssuer implements QuarkusTestResourceLifecycleManager {
    public static final String ISSUER = "https://login.example.test/realms/estate";
    public static final String AUDIENCE = "tlsrollout-ui";
    /**
     * The key, private part included, held in a system property: Quarkus may load this class again in another class
     * loader for the application, and both copies must sign and publish the same key.
     */
    private static final String KEY_PROPERTY = "tlsrollout.test.oidc.key";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        String published;
        try {
            published = new JsonWebKeySet(key()).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the issuer's key set cannot be written", e);
        }
        byte[] body = published.getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("the issuer's JWKS server cannot start", e);
        }
        server.createContext("/protocol/openid-connect/certs", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return Map.of(
                "tlsrollout.auth.oidc.issuer", ISSUER,
                "tlsrollout.auth.oidc.jwks-url", "http://127.0.0.1:" + server.getAddress().getPort()
                        + "/protocol/openid-connect/certs",
                "tlsrollout.auth.oidc.audience", AUDIENCE,
                "tlsrollout.auth.oidc.roles-claim", "roles");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A token of this issuer for {@code username} with {@code roles}, valid for five minutes. */
    public static String token(String username, String... roles) {
        return sign(key(), username, roles);
    }

    /** A token like {@link #token} signed by a key the issuer does not publish. */
    public static String forgedToken(String username, String... roles) {
        return sign(newKey("stranger"), username, roles);
    }

    private static String sign(RsaJsonWebKey key, String username, String... roles) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(ISSUER);
            claims.setAudience(AUDIENCE);
            claims.setSubject("subject-of-" + username);
            claims.setClaim("preferred_username", username);
            claims.setStringListClaim("roles", roles);
            claims.setIssuedAtToNow();
            claims.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 + 300));
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("the test token cannot be signed", e);
        }
    }

    private static synchronized RsaJsonWebKey key() {
        try {
            String stored = System.getProperty(KEY_PROPERTY);
            if (stored != null) {
                return (RsaJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(stored);
            }
            RsaJsonWebKey key = newKey("test-issuer-1");
            System.setProperty(KEY_PROPERTY, key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException("the issuer's key cannot be read", e);
        }
    }

    private static RsaJsonWebKey newKey(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(kid);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException("an RSA key cannot be made", e);
        }
    }
}
