package org.tlsrollout.remediation.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.common.keys.EcKeys;
import org.tlsrollout.contracts.EcJwk;
import org.tlsrollout.contracts.Endorsement;
import org.tlsrollout.contracts.Json;

/** Key rotation (api.md): a key whose file has an endorsement beside it carries it in the JWKS, verbatim. */
class JwksEndorsementTest {

    @Test
    void theNewKeyCarriesItsEndorsementVerbatimAndItVerifiesAgainstTheOldKey(@TempDir Path dir) throws Exception {
        KeyPair old = EcKeys.generate();
        KeyPair next = EcKeys.generate();
        Path oldFile = dir.resolve("job-signing-old.pem");
        Path newFile = dir.resolve("job-signing.pem");
        Files.writeString(oldFile, EcKeys.toPem(old));
        Files.writeString(newFile, EcKeys.toPem(next));
        String endorsement = Endorsement.create(old.getPrivate(), old.getPublic(), next.getPublic(), Instant.now());
        Files.writeString(dir.resolve("job-signing.pem" + Endorsement.FILE_SUFFIX), endorsement + "\n");

        JsonNode keys = Json.MAPPER.readTree(JobSigner.jwks(List.of(new JobSigner.KeyFile(newFile, next.getPublic()),
                new JobSigner.KeyFile(oldFile, old.getPublic())))).path("keys");
        assertThat(keys).hasSize(2);
        JsonNode published = keys.get(0);
        assertThat(published.path("kid").asText()).isEqualTo(EcKeys.kid(next.getPublic()));
        assertThat(published.path("use").asText()).isEqualTo("sig");
        assertThat(published.path("alg").asText()).isEqualTo("ES256");
        assertThat(published.path(Endorsement.JWK_MEMBER).asText()).isEqualTo(endorsement);
        PublicKey fromJwks = EcJwk.fromJwk(Json.MAPPER.convertValue(published, Map.class));
        assertThat(Endorsement.isValid(published.path(Endorsement.JWK_MEMBER).asText(), fromJwks,
                List.of(old.getPublic()))).isTrue();
        // Not by a key the agent does not trust already.
        assertThat(Endorsement.isValid(endorsement, fromJwks, List.of(next.getPublic()))).isFalse();
        // The old key has no endorsement file: no member.
        assertThat(keys.get(1).has(Endorsement.JWK_MEMBER)).isFalse();
        assertThat(keys.get(1).path("kid").asText()).isEqualTo(EcKeys.kid(old.getPublic()));
    }

    @Test
    void aFileThatIsNoJwsIsNotPublished(@TempDir Path dir) throws Exception {
        KeyPair key = EcKeys.generate();
        Path file = dir.resolve("k.pem");
        Files.writeString(dir.resolve("k.pem" + Endorsement.FILE_SUFFIX), "not a jws");
        assertThat(JobSigner.endorsement(file)).isEmpty();
        assertThat(Json.MAPPER.readTree(JobSigner.jwks(List.of(new JobSigner.KeyFile(file, key.getPublic()))))
                .path("keys").get(0).has(Endorsement.JWK_MEMBER)).isFalse();
    }
}
