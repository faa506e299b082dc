package org.tlsrollout.agent.registry;

import java.io.IOException;
import java.util.List;

/** Runs one external command (here: {@code reg.exe}) and returns what it printed. */
@FunctionalInterface
public interface CommandRunner {

    Result run(List<String> command) throws IOException;

    /** Exit code, standard output and standard error of one command. */
    record Result(int exitCode, String stdout, String stderr) {
        public Result {
            stdout = stdout == null ? "" : stdout;
            stderr = stderr == null ? "" : stderr;
        }
    }
}
