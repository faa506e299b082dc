package org.tlsrollout.agent.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.PreviousValue;

/**
 * The undo log on disk: one JSON file per job in {@code <state>/undo/}, named by the job id (or its SHA-256 when the
 * id is not a plain file name, e.g. holds ':' which Windows refuses), each rewritten atomically
 * ({@link AtomicFiles}) before the registry write it records. Records are never removed by the agent: a wave's
 * rollback may come long after the job.
 */
public final class FileUndoLog implements UndoLog {

    private final Path dir;

    public FileUndoLog(Path dir) {
        this.dir = dir;
    }

    @Override
    public synchronized Optional<UndoRecord> get(String jobId) {
        Path file = file(jobId);
        try {
            UndoRecord r = Json.MAPPER.readValue(Files.readAllBytes(file), UndoRecord.class);
            return r != null && jobId.equals(r.jobId()) ? Optional.of(r) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the undo record " + file, e);
        }
    }

    @Override
    public synchronized void record(String jobId, PreviousValue before) {
        UndoRecord r = get(jobId).orElse(new UndoRecord(jobId, List.of(), null));
        UndoRecord next = r.with(before);
        if (next != r) {
            write(next);
        }
    }

    @Override
    public synchronized void markUndone(String jobId, String byJobId) {
        get(jobId).ifPresent(r -> write(r.undoneBy(byJobId)));
    }

    private void write(UndoRecord r) {
        Path file = file(r.jobId());
        try {
            AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the undo record " + file, e);
        }
    }

    private Path file(String jobId) {
        return AtomicFiles.jobFile(dir, jobId);
    }
}
