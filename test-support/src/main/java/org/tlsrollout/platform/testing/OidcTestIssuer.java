package org.tlsrollout.platform.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A local OpenID Connect issuer for the tests: an RSA key of its own, its JWKS document served on loopback, and the
 * service configured to trust it ({@code tlsrollout.auth.oidc.*}), so that operators sign in as named users. The key
 * is kept in a system property: Quarkus may load this class again in another class loader.
 */
public class OidcTestIssuer implements QuarkusTestResourceLifecycleManager {
    public static final String ISSUER = "https://issuer.test/realms/tlsrollout";
    private static final String KEY_PROPERTY = "tlsrollout.test.oidc.jwk";
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("test-issuer-1");
            System.setProperty(KEY_PROPERTY, key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            byte[] jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                    .getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/jwks.json", exchange -> {
                try (exchange) {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, jwks.length);
                    exchange.getResponseBody().write(jwks);
                }
            });
            server.start();
            return Map.of(
                    "tlsrollout.auth.oidc.issuer", ISSUER,
                    "tlsrollout.auth.oidc.jwks-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A token of this issuer for {@code username}, with {@code roles} in the default roles claim (groups). */
    public static String token(String username, String... roles) {
        try {
            RsaJsonWebKey key = (RsaJsonWebKey) JsonWebKey.Factory.newJwk(System.getProperty(KEY_PROPERTY));
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(ISSUER);
            claims.setSubject("subject-of-" + username);
            claims.setClaim("preferred_username", username);
            claims.setStringListClaim("groups", List.of(roles));
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(5);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
