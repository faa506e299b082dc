package org.tlsrollout.agent.snapshot;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log files on disk, each read from its end (at most {@code maxBytesPerFile}): ConfigMgr rotates its logs
 * (name.lo_), so the look-back window is always near the end. Files that do not exist are skipped.
 */
public final class DirectoryLogSource implements LogSource {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLogSource.class);

    private final List<Path> files;
    private final int maxBytesPerFile;

    public DirectoryLogSource(Collection<Path> files, int maxBytesPerFile) {
        this.files = List.copyOf(files);
        this.maxBytesPerFile = maxBytesPerFile;
    }

    /** The files of {@link KnownErrorScanner#LOG_FILES} in each directory (site server, client, console logs). */
    public static DirectoryLogSource inDirectories(Collection<Path> directories) {
        List<Path> files = new ArrayList<>();
        for (Path dir : directories) {
            for (String name : KnownErrorScanner.LOG_FILES) {
                files.add(dir.resolve(name));
            }
        }
        return new DirectoryLogSource(files, 4 * 1024 * 1024);
    }

    @Override
    public void forEachLine(LineSink sink) {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                String source = file.getFileName().toString();
                for (String line : tail(file)) {
                    sink.accept(source, line);
                }
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", file, e.getMessage());
            }
        }
    }

    private List<String> tail(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long start = Math.max(0, length - maxBytesPerFile);
            byte[] bytes = new byte[(int) (length - start)];
            raf.seek(start);
            raf.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\r?\n")));
            if (start > 0 && !lines.isEmpty()) {
                lines.remove(0); // cut in the middle of a line
            }
            return lines;
        }
    }
}
