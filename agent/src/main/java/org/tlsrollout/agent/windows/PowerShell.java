package org.tlsrollout.agent.windows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.List;
import org.tlsrollout.agent.registry.CommandRunner;
import org.tlsrollout.contracts.Json;

/**
 * Windows PowerShell 5.1 ({@code powershell.exe}) scripts whose output is JSON ({@code ConvertTo-Json}), run through
 * the {@link CommandRunner} so that tests replay recorded outputs. Only JSON is read, never localized text.
 */
public final class PowerShell {
    private final CommandRunner runner;

    public PowerShell(CommandRunner runner) {
        this.runner = runner;
    }

    /** The command line that runs {@code script}, its output in UTF-8 (the console's code page would mangle JSON). */
    public static List<String> command(String script) {
        return List.of("powershell.exe", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command",
                UTF8 + script);
    }

    static final String UTF8 = "[Console]::OutputEncoding = [Text.Encoding]::UTF8; ";

    /**
     * The JSON the script printed; a missing node when it printed nothing (e.g. an empty result).
     *
     * @throws IOException when it cannot run, exits non-zero or prints something that is not JSON
     */
    public JsonNode json(String script) throws IOException {
        CommandRunner.Result r = runner.run(command(script));
        if (r.exitCode() != 0) {
            throw new IOException("powershell exited " + r.exitCode() + ": " + firstLine(r.stderr()));
        }
        String out = r.stdout().strip();
        if (out.isEmpty()) {
            return MissingNode.getInstance();
        }
        return Json.MAPPER.readTree(out);
    }

    /** ConvertTo-Json prints a lone object for one result and an array for several: always an array here. */
    public static List<JsonNode> items(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            List<JsonNode> list = new java.util.ArrayList<>();
            node.forEach(list::add);
            return list;
        }
        return List.of(node);
    }

    static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
