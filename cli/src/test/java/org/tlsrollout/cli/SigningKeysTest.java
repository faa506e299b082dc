package org.tlsrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tlsrollout.contracts.EcJwk;
import org.tlsrollout.contracts.Endorsement;
import org.tlsrollout.platform.io.PrivateFiles;

/** {@code ./tlsrollout keys rotate} (api.md, "Signed fix jobs", key rotation) on a state folder of its own. */
class SigningKeysTest {
    @TempDir
    Path home;

    private StackConfig config() {
        return StackConfig.fromEnvironment(home, Map.of("TLSROLLOUT_HOME", home.toString()));
    }

    /** The key remediation-service makes on its first start. */
    private KeyPair firstKey() throws Exception {
        KeyPair first = SigningKeys.generate();
        Files.createDirectories(home.resolve("keys"));
        Files.writeString(home.resolve("keys").resolve(SigningKeys.FIRST), SigningKeys.toPem(first));
        return first;
    }

    @Test
    void beforeAnyRotationRemediationKeepsItsDefaults() {
        assertThat(SigningKeys.environment(config())).isEmpty();
    }

    @Test
    void aNewKeyIsEndorsedByTheCurrentOneWhichStaysPublishedUntilItsJobsExpire() throws Exception {
        KeyPair first = firstKey();
        Instant now = Instant.parse("2026-12-06T20:15:30.250Z");

        SigningKeys.Rotation r = SigningKeys.rotate(config(), now, Duration.ofHours(2));

        assertThat(r.newKey()).isEqualTo(home.resolve("keys/job-signing-20261206T201530Z.pem"));
        assertThat(PrivateFiles.isOwnerOnly(r.newKey())).as("the new private key, from its creation").isTrue();
        KeyPair next = SigningKeys.fromPem(Files.readString(r.newKey()));
        assertThat(r.newKid()).isEqualTo(EcJwk.thumbprint(next.getPublic()));
        assertThat(r.endorsement()).isEqualTo(Path.of(r.newKey() + Endorsement.FILE_SUFFIX));
        String endorsement = Files.readString(r.endorsement());
        assertThat(Endorsement.isValid(endorsement, next.getPublic(), List.of(first.getPublic())))
                .as("endorsed by the key agents already trust").isTrue();
        assertThat(Endorsement.isValid(endorsement, next.getPublic(), List.of(next.getPublic()))).isFalse();
        assertThat(r.previousKid()).isEqualTo(EcJwk.thumbprint(first.getPublic()));
        assertThat(r.droppableAfter()).isEqualTo(now.plus(Duration.ofHours(2)));
        assertThat(SigningKeys.environment(config())).containsExactly(
                Map.entry("REMEDIATION_SIGNING_KEY_FILE", r.newKey().toString()),
                Map.entry("REMEDIATION_SIGNING_PREVIOUS_KEY_FILES", home.resolve("keys/job-signing.pem").toString()));
    }

    @Test
    void aSecondRotationIsEndorsedByTheKeyOfTheFirstAndKeepsBothEarlierKeys() throws Exception {
        firstKey();
        SigningKeys.Rotation first = SigningKeys.rotate(config(), Instant.parse("2026-12-06T20:00:00Z"),
                Duration.ofHours(2));
        SigningKeys.Rotation second = SigningKeys.rotate(config(), Instant.parse("2026-12-07T08:00:00Z"),
                Duration.ofHours(2));

        KeyPair firstRotated = SigningKeys.fromPem(Files.readString(first.newKey()));
        KeyPair secondRotated = SigningKeys.fromPem(Files.readString(second.newKey()));
        assertThat(Endorsement.isValid(Files.readString(second.endorsement()), secondRotated.getPublic(),
                List.of(firstRotated.getPublic()))).isTrue();
        assertThat(second.previousKey()).isEqualTo(first.newKey());
        assertThat(SigningKeys.state(config())).isEqualTo(new SigningKeys.State("job-signing-20261207T080000Z.pem",
                List.of("job-signing-20261206T200000Z.pem", "job-signing.pem")));
    }

    @Test
    void thereIsNothingToRotateBeforeRemediationMadeItsKey() {
        assertThatThrownBy(() -> SigningKeys.rotate(config(), Instant.now(), Duration.ofHours(2)))
                .isInstanceOf(StackException.class).hasMessageContaining("./tlsrollout up");
    }

    @Test
    void theJobLifetimeComesFromRemediationsSetting() {
        assertThat(Main.Rotate.jobTtl(null)).isEqualTo(Duration.ofHours(2));
        assertThat(Main.Rotate.jobTtl("PT30M")).isEqualTo(Duration.ofMinutes(30));
        assertThatThrownBy(() -> Main.Rotate.jobTtl("2h")).isInstanceOf(StackException.class);
    }
}
