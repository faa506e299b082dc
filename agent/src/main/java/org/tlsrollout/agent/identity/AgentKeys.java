package org.tlsrollout.agent.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrollout.contracts.Es256Provider;

/**
 * The agent's own EC P-256 key pair (api.md, Authentication): made on first start, the private key kept in the state
 * folder in {@value #FILE}, readable by the administrators only ({@link OwnerOnlyFiles}). The public key goes with
 * every enrollment; the private key signs its proof of possession and never leaves the machine.
 */
public final class AgentKeys {
    public static final String FILE = "agent-key.pem";
    private static final Logger LOG = LoggerFactory.getLogger(AgentKeys.class);
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private AgentKeys() {
    }

    /** A new P-256 key pair, made by the provider ES256 runs on (ACCP or BouncyCastle). */
    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Es256Provider.provider());
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an EC P-256 key pair: " + e.getMessage(), e);
        }
    }

    /**
     * The key pair kept in {@code stateDir}, made and stored (owner-only) when there is none. A key file that others
     * may read is refused: the key may be known, and the machine's identity with it.
     */
    public static KeyPair loadOrCreate(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            return read(file);
        } catch (NoSuchFileException e) {
            KeyPair pair = generate();
            try {
                OwnerOnlyFiles.write(file, pem(pair).getBytes(StandardCharsets.US_ASCII));
            } catch (IOException w) {
                throw new UncheckedIOException("cannot store the agent key in " + file, w);
            }
            LOG.info("made the agent key pair in {}", file);
            return pair;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent key " + file, e);
        }
    }

    static KeyPair read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        if (!OwnerOnlyFiles.isOwnerOnly(file)) {
            throw new IOException(file + " may be read by others than its owner; remove it (the agent makes a new key"
                    + " and an operator releases the machine's identity) or restrict it to the owner");
        }
        byte[] priv = null;
        byte[] pub = null;
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            if (m.group(1).equals("PRIVATE KEY")) {
                priv = der;
            } else if (m.group(1).equals("PUBLIC KEY")) {
                pub = der;
            }
        }
        if (priv == null || pub == null) {
            throw new IOException(file + " holds no PRIVATE KEY and PUBLIC KEY blocks");
        }
        try {
            KeyFactory f = KeyFactory.getInstance("EC");
            return new KeyPair(f.generatePublic(new X509EncodedKeySpec(pub)), f.generatePrivate(new PKCS8EncodedKeySpec(priv)));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " does not hold an EC key pair: " + e.getMessage(), e);
        }
    }

    static String pem(KeyPair pair) {
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\n"
                + b64.encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }
}
