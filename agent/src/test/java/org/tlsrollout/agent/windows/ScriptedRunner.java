package org.tlsrollout.agent.windows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tlsrollout.agent.registry.CommandRunner;

/**
 * Answers command lines by a fragment they contain, with a fixture of src/test/resources/windows (written by hand,
 * see its README) or a given result; fails on anything unexpected. Records every command.
 */
final class ScriptedRunner implements CommandRunner {
    private final Map<String, Result> answers = new LinkedHashMap<>();
    final List<List<String>> commands = new ArrayList<>();

    ScriptedRunner fixture(String fragment, String resource) {
        answers.put(fragment, new Result(0, read(resource), ""));
        return this;
    }

    ScriptedRunner answer(String fragment, int exit, String stdout, String stderr) {
        answers.put(fragment, new Result(exit, stdout, stderr));
        return this;
    }

    final List<java.time.Duration> waits = new ArrayList<>();
    String stillRunning;

    /** Commands containing {@code fragment} are still running when the caller stops waiting. */
    ScriptedRunner stillRunning(String fragment) {
        stillRunning = fragment;
        return this;
    }

    @Override
    public Result run(List<String> command, java.time.Duration max) throws IOException {
        waits.add(max);
        if (stillRunning != null && String.join(" ", command).contains(stillRunning)) {
            commands.add(List.copyOf(command));
            throw new StillRunningException(command.get(0) + " still running after " + max);
        }
        return run(command);
    }

    @Override
    public Result run(List<String> command) throws IOException {
        commands.add(List.copyOf(command));
        String line = String.join(" ", command);
        for (Map.Entry<String, Result> a : answers.entrySet()) {
            if (line.contains(a.getKey())) {
                return a.getValue();
            }
        }
        throw new IOException("no answer for " + line);
    }

    static String read(String resource) {
        try (InputStream in = ScriptedRunner.class.getResourceAsStream("/windows/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
