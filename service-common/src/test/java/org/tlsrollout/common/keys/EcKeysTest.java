package org.tlsrollout.common.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.Signature;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EcKeysTest {

    @Test
    void aPemRoundTripKeepsThePrivateKeyAndDerivesTheSamePublicKey() throws Exception {
        KeyPair original = EcKeys.generate();

        KeyPair read = EcKeys.fromPem(EcKeys.toPem(original));

        assertThat(read.getPrivate().getEncoded()).isEqualTo(original.getPrivate().getEncoded());
        assertThat(read.getPublic()).isEqualTo(original.getPublic());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(read.getPrivate());
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(original.getPublic());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    @Test
    void loadOrCreateMakesTheKeyOnceAndKeepsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/agent-token.pem");

        KeyPair first = EcKeys.loadOrCreate(file);
        KeyPair second = EcKeys.loadOrCreate(file);

        assertThat(second.getPublic()).isEqualTo(first.getPublic());
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    }

    @Test
    void theKeyFileAndTheDirectoryMadeForItAreTheOwnersOnlyAndALeftoverIsNotReused(@TempDir Path dir)
            throws Exception {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX only");
        Path file = dir.resolve("keys/agent-token.pem");
        Files.createDirectories(dir.resolve("keys"));
        // A world-readable temporary file left by an interrupted start.
        Path leftover = Files.writeString(dir.resolve("keys/agent-token.pem.tmp"), "old");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-rw-"));

        EcKeys.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(leftover).doesNotExist();

        Path fresh = dir.resolve("new/keys/agent-token.pem");
        EcKeys.loadOrCreate(fresh);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void theJwksNamesEachKeyByItsThumbprint() {
        KeyPair a = EcKeys.generate();
        KeyPair b = EcKeys.generate();

        String jwks = EcKeys.jwks(List.of(a.getPublic(), b.getPublic()));

        assertThat(jwks).contains("\"kid\":\"" + EcKeys.kid(a.getPublic()) + "\"")
                .contains("\"kid\":\"" + EcKeys.kid(b.getPublic()) + "\"")
                .contains("\"alg\":\"ES256\"").doesNotContain("\"d\"");
        assertThat(EcKeys.kid(a.getPublic())).isNotEqualTo(EcKeys.kid(b.getPublic()));
    }

    @Test
    void refusesWhatIsNotAPrivateKeyPem() {
        assertThatThrownBy(() -> EcKeys.fromPem("hello")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PKCS#8");
    }
}
