package org.tlsrollout.agent.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Answers reg.exe command lines with outputs recorded on Windows (src/test/resources/regexe). */
final class RecordedCommandRunner implements CommandRunner {
    private final Map<List<String>, Result> answers = new HashMap<>();
    final List<List<String>> invocations = new ArrayList<>();

    RecordedCommandRunner answer(List<String> command, int exit, String stdoutResource, String stderrResource) {
        answers.put(command, new Result(exit, read(stdoutResource), read(stderrResource)));
        return this;
    }

    @Override
    public Result run(List<String> command) {
        invocations.add(List.copyOf(command));
        Result r = answers.get(command);
        if (r == null) {
            throw new IllegalStateException("no recording for " + command);
        }
        return r;
    }

    private static String read(String resource) {
        if (resource == null) {
            return "";
        }
        try (InputStream in = RecordedCommandRunner.class.getResourceAsStream("/regexe/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no recording " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
