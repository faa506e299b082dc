package org.tlsrollout.agent.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A sequence kept in one file of the agent's state folder, written atomically ({@link AtomicFiles}) before
 * {@link #advance} answers, so that it survives restarts and crashes. A file that exists but cannot be read
 * is an error, never a reset to 0: a reset would let old jobs be replayed.
 */
public final class FileSequenceStore implements SequenceStore {
    private final Path file;
    private long last;

    /**
     * @throws IllegalStateException when the file exists and does not hold a sequence number
     */
    public FileSequenceStore(Path file) {
        this.file = file;
        this.last = read(file);
    }

    private static long read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " does not hold a sequence number; refusing to start from 0", e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized long last() {
        return last;
    }

    @Override
    public synchronized boolean advance(long seq) {
        if (seq <= last) {
            return false;
        }
        try {
            AtomicFiles.write(file, (seq + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException("cannot keep sequence " + seq + " in " + file + ": " + e.getMessage(), e);
        }
        last = seq;
        return true;
    }
}
