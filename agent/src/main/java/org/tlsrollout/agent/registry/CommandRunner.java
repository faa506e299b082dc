package org.tlsrollout.agent.registry;

import java.io.IOException;
import java.util.List;

/** Runs one external command (here: {@code reg.exe}) and returns what it printed. */
@FunctionalInterface
public interface CommandRunner {

    Result run(List<String> command) throws IOException;

    /**
     * Runs a command that may take long (an installer), waiting at most {@code max}. A command still running then is
     * left running: {@link StillRunningException}. By default the same as {@link #run(List)}.
     */
    default Result run(List<String> command, java.time.Duration max) throws IOException {
        return run(command);
    }

    /** The command was started and had not finished when the caller stopped waiting; it goes on. */
    final class StillRunningException extends IOException {
        public StillRunningException(String message) {
            super(message);
        }
    }

    /** Exit code, standard output and standard error of one command. */
    record Result(int exitCode, String stdout, String stderr) {
        public Result {
            stdout = stdout == null ? "" : stdout;
            stderr = stderr == null ? "" : stderr;
        }
    }
}
