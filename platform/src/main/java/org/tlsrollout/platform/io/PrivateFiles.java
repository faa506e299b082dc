package org.tlsrollout.platform.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold secrets (passwords, tokens, private keys) and the folders they live in: readable by their owner
 * only from the moment they exist, whatever the umask. A file is written to a temporary file created owner-only in
 * the same folder and then moved over its name, so no reader ever sees it half written or with wider permissions.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<Set<PosixFilePermission>> FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> FOLDER =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private PrivateFiles() {
    }

    /** Creates {@code dir} and its missing parents, each created here owner-only ({@code rwx------}). */
    public static Path createDirectories(Path dir) {
        try {
            return POSIX ? Files.createDirectories(dir, FOLDER) : Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder " + dir, e);
        }
    }

    /** Writes {@code text} (UTF-8) to {@code file}, replacing it; the file is {@code rw-------} from its creation. */
    public static void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file}, replacing it; the file is {@code rw-------} from its creation. */
    public static void write(Path file, byte[] bytes) {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        Path tmp = null;
        try {
            String prefix = "." + file.getFileName() + ".";
            tmp = POSIX ? Files.createTempFile(dir, prefix, ".tmp", FILE) : Files.createTempFile(dir, prefix, ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // moved already, or nothing more can be done
                }
            }
        }
    }

    /** Whether {@code file} can be read or written by its owner only (always true off POSIX file systems). */
    public static boolean isOwnerOnly(Path file) {
        if (!POSIX) {
            return true;
        }
        try {
            return Files.getPosixFilePermissions(file).stream().allMatch(p -> p.name().startsWith("OWNER_"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + file, e);
        }
    }
}
