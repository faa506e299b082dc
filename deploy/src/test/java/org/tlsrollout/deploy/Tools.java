package org.tlsrollout.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The programs the tests run: promtool (Debian package prometheus; .ci/run installs it) and kubectl. */
final class Tools {
    record Result(int exitCode, String output) {
    }

    private Tools() {
    }

    /** The program on the PATH, or null. */
    static Path find(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir).resolve(program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static Result run(Path program, Path workingDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(args));
        return exec(command, workingDir);
    }

    /** Runs a command to its end (2 minutes at most), its output and errors read from a file so nothing blocks. */
    static Result exec(List<String> command, Path workingDir) throws IOException, InterruptedException {
        Path log = Files.createTempFile("deploy-test", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end: " + Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
