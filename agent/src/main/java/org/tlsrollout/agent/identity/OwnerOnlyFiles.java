package org.tlsrollout.agent.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files and folders that only the machine's administrators can read, made so from their creation (no window in
 * which the umask or an inherited ACL lets anyone else in):
 * <ul>
 *   <li>POSIX: folders {@code rwx------}, files {@code rw-------}, owned by the user the agent runs as (root);</li>
 *   <li>Windows: an ACL of SYSTEM and Administrators only, given when the file is created ({@code acl:acl}). Windows
 *       still adds the ACEs the parent folder passes on; install.ps1 makes the state folder with inheritance off,
 *       so what it holds inherits only SYSTEM and Administrators. <b>The Windows path has never run.</b></li>
 * </ul>
 */
public final class OwnerOnlyFiles {
    static final String SYSTEM = "NT AUTHORITY\\SYSTEM";
    static final String ADMINISTRATORS = "BUILTIN\\Administrators";

    private OwnerOnlyFiles() {
    }

    /** Creates the folder (and missing parents) owner-only; an existing folder is left as it is. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && !Files.exists(parent)) {
            createDirectories(parent);
        }
        Files.createDirectory(dir, attributes(dir, true));
    }

    /**
     * Writes {@code file} atomically: a new temporary file created owner-only, written, synced, then moved over
     * {@code file}. A reader sees the old content or the new one.
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    attributes(tmp, false))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** True when nobody but the owner has any permission on the file (always true off POSIX: not checked there). */
    public static boolean isOwnerOnly(Path file) throws IOException {
        if (!isPosix(file)) {
            return true;
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        p.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
        return p.isEmpty();
    }

    static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] attributes(Path p, boolean directory) throws IOException {
        FileSystem fs = p.getFileSystem();
        if (isPosix(p)) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"))};
        }
        if (fs.supportedFileAttributeViews().contains("acl")) {
            List<AclEntry> acl = List.of(
                    fullControl(fs.getUserPrincipalLookupService().lookupPrincipalByName(name("S-1-5-18", SYSTEM)), directory),
                    fullControl(fs.getUserPrincipalLookupService().lookupPrincipalByName(name("S-1-5-32-544", ADMINISTRATORS)),
                            directory));
            return new FileAttribute<?>[] {new FileAttribute<List<AclEntry>>() {
                @Override
                public String name() {
                    return "acl:acl";
                }

                @Override
                public List<AclEntry> value() {
                    return acl;
                }
            }};
        }
        throw new IOException("cannot make " + p + " readable by its owner only: the file system has neither POSIX"
                + " permissions nor ACLs");
    }

    /**
     * The account name of a well-known SID in the machine's language (Advapi32, when JNA is on the class path: the
     * program's lib/ has it), else its English name.
     */
    private static String name(String sid, String english) {
        try {
            return org.tlsrollout.agent.windows.Sids.accountName(sid);
        } catch (LinkageError | RuntimeException e) {
            return english;
        }
    }

    private static AclEntry fullControl(UserPrincipal who, boolean directory) {
        AclEntry.Builder b = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(who)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class));
        if (directory) {
            b.setFlags(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
        }
        return b.build();
    }
}
