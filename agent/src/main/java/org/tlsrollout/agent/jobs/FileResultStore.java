package org.tlsrollout.agent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrollout.contracts.JobResult;
import org.tlsrollout.contracts.Json;

/**
 * Undelivered results as one JSON file per job in a folder of the agent's state, written atomically. A job id
 * comes from the server: one that is not a plain file name is stored under its SHA-256.
 */
public final class FileResultStore implements ResultStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileResultStore.class);

    private final Path dir;

    public FileResultStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public synchronized void put(String jobId, JobResult result) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("jobId", jobId);
        doc.set("result", Json.MAPPER.valueToTree(result));
        try {
            AtomicFiles.write(file(jobId), Json.MAPPER.writeValueAsBytes(doc));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the result of job " + jobId, e);
        }
    }

    @Override
    public synchronized Optional<JobResult> get(String jobId) {
        try {
            JsonNode doc = Json.MAPPER.readTree(Files.readString(file(jobId), StandardCharsets.UTF_8));
            return Optional.of(Json.MAPPER.treeToValue(doc.get("result"), JobResult.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the result of job " + jobId, e);
        }
    }

    @Override
    public synchronized void remove(String jobId) {
        try {
            Files.deleteIfExists(file(jobId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the result of job " + jobId, e);
        }
    }

    @Override
    public synchronized Set<String> jobIds() {
        Set<String> ids = new LinkedHashSet<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                try {
                    ids.add(Json.MAPPER.readTree(Files.readString(f, StandardCharsets.UTF_8)).path("jobId").asText());
                } catch (IOException e) {
                    LOG.warn("ignoring unreadable result file {}: {}", f, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return ids;
    }

    private Path file(String jobId) {
        return AtomicFiles.jobFile(dir, jobId);
    }
}
