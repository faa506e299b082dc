package org.tlsrollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operator's commands on a running stack's API (api.md, remediation-service and collector-service): waves,
 * progress, the machines' CSV export, inventory import, retirement and the release of an agent's identity.
 * Exit codes: 0 done, 1 the API refused (4xx), 2 usage or configuration, 3 the service could not be reached or
 * answered 5xx.
 */
final class OperatorCommands {
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    static final String REMEDIATION_URL = "TLSROLLOUT_REMEDIATION_URL";
    static final String COLLECTOR_URL = "TLSROLLOUT_COLLECTOR_URL";

    private OperatorCommands() {
    }

    /** A configuration that cannot work: exit code 2. */
    static final class ConfigurationError extends RuntimeException {
        ConfigurationError(String message) {
            super(message);
        }
    }

    /** The states of a wave (api.md), for {@code waves list --state}. */
    enum WaveState { PLANNED, RUNNING, PAUSED, HALTED, COMPLETED, CANCELLED }

    /**
     * A command that calls a service: the URL from the environment ({@code TLSROLLOUT_REMEDIATION_URL},
     * {@code TLSROLLOUT_COLLECTOR_URL}) else the local stack's; the token from the environment else the local
     * stack's {@code tokens.env}; over https to the local stack, its CA only is trusted.
     */
    abstract static class ApiCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Main main() {
            return (Main) spec.root().userObject();
        }

        PrintStream out() {
            return main().out;
        }

        @Override
        public final Integer call() {
            try {
                return run();
            } catch (ConfigurationError e) {
                main().err.println("tlsrollout: " + e.getMessage());
                return USAGE;
            } catch (RolloutApi.Unreachable e) {
                main().err.println("tlsrollout: " + e.getMessage()
                        + (main().env.containsKey(REMEDIATION_URL) || main().env.containsKey(COLLECTOR_URL) ? "" : " (is the stack up? ./tlsrollout status)"));
                return UNREACHABLE;
            } catch (StackException | IllegalArgumentException e) {
                // the local stack's settings (tokens.env, ports in the environment) or a URL that cannot work
                main().err.println("tlsrollout: " + e.getMessage());
                return USAGE;
            }
        }

        abstract int run();

        /** remediation-service with the operator token ({@code operator}) or else the viewer token. */
        RolloutApi remediation(boolean operator) {
            return api("remediation-service", REMEDIATION_URL, operator, StackConfig::remediationUrl);
        }

        RolloutApi collector() {
            return api("collector-service", COLLECTOR_URL, true, StackConfig::collectorUrl);
        }

        private RolloutApi api(String service, String urlVariable, boolean operator,
                java.util.function.Function<StackConfig, String> localUrl) {
            Map<String, String> env = main().env;
            String url = blankToNull(env.get(urlVariable));
            String token = operator ? blankToNull(env.get(Tokens.OPERATOR))
                    : firstNonNull(blankToNull(env.get(Tokens.VIEWER)), blankToNull(env.get(Tokens.OPERATOR)));
            if (url != null) {
                if (token == null) {
                    throw new ConfigurationError(urlVariable + " is set: set " + Tokens.OPERATOR
                            + (operator ? "" : " or " + Tokens.VIEWER) + " too");
                }
                if (!url.startsWith("http://") && !url.startsWith("https://")) {
                    throw new ConfigurationError(urlVariable + " must be an http:// or https:// URL, not " + url);
                }
                return new RolloutApi(service, url.replaceAll("/+$", ""), token, null);
            }
            StackConfig config = main().localStack.get();
            if (token == null) {
                token = operator ? config.tokens().operator() : config.tokens().viewer();
            }
            return new RolloutApi(service, localUrl.apply(config), token, LocalTls.sslContext(config));
        }

        /**
         * A refusal for the person: problem details' title, detail and field errors; the orphan gate's blocking
         * counts and ids. 5xx: exit code 3, else 1.
         */
        int refused(RolloutApi.Answer answer, String service) {
            PrintStream err = main().err;
            JsonNode p = answer.body();
            err.printf("tlsrollout: %s answered HTTP %d%s%n", service, answer.status(),
                    p != null && p.hasNonNull("title") ? ": " + p.path("title").asText() : "");
            if (p != null && p.hasNonNull("detail")) {
                err.println("  " + p.path("detail").asText());
            } else if (p == null && !answer.text().isBlank()) {
                err.println("  " + answer.text().strip());
            }
            if (p != null) {
                for (JsonNode e : p.path("errors")) {
                    err.printf("  %s: %s%n", e.path("field").asText("?"), e.path("message").asText(e.toString()));
                }
                JsonNode blocking = p.path("blocking");
                if (blocking.isObject()) {
                    err.printf("  blocking: %d machine(s); by phase %s; stale %d%n", blocking.path("total").asLong(),
                            compact(blocking.path("byPhase")), blocking.path("stale").asLong());
                }
                if (p.path("machines").isArray() && !p.path("machines").isEmpty()) {
                    List<String> ids = new ArrayList<>();
                    p.path("machines").forEach(m -> ids.add(m.asText()));
                    err.println("  blocking machines: " + String.join(", ", ids));
                }
            }
            return answer.status() >= 500 ? UNREACHABLE : REFUSED;
        }

        /** The answer's JSON as the API sent it, or {@code human} for a person. */
        int print(RolloutApi.Answer answer, boolean json, java.util.function.Consumer<JsonNode> human) {
            if (json) {
                out().println(answer.text());
            } else {
                human.accept(answer.body());
            }
            return 0;
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} of the parameters that are set. */
    static String query(Map<String, Object> parameters) {
        List<String> parts = new ArrayList<>();
        parameters.forEach((k, v) -> {
            if (v != null) {
                parts.add(k + "=" + encode(v.toString()));
            }
        });
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    /** The non-zero members of a counts object: {@code targeted 10, issued 4}. */
    static String compact(JsonNode counts) {
        List<String> parts = new ArrayList<>();
        counts.fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber() || e.getValue().asLong() != 0) {
                parts.add(e.getKey() + " " + e.getValue().asText());
            }
        });
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    @Command(name = "waves", description = "List, show, create, pause, resume, cancel and roll back waves "
            + "(remediation-service).", subcommands = {WavesList.class, WavesShow.class, WavesCreate.class,
                    WavesPause.class, WavesResume.class, WavesCancel.class, WavesRollback.class})
    static final class Waves implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed");
        }
    }

    @Command(name = "list", description = "The waves, newest first, with their counts (viewer token).")
    static final class WavesList extends ApiCommand {
        @Option(names = "--state", description = "only waves in this state: ${COMPLETION-CANDIDATES}")
        WaveState state;

        @Option(names = "--page", description = "page number, from 0")
        Integer page;

        @Option(names = "--size", description = "page size")
        Integer size;

        @Option(names = "--json", description = "print the API's JSON as is")
        boolean json;

        @Override
        int run() {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("state", state);
            q.put("page", page);
            q.put("size", size);
            RolloutApi.Answer answer = remediation(false).get("/api/v1/waves" + query(q));
            if (!answer.ok()) {
                return refused(answer, "remediation-service");
            }
            return print(answer, json, body -> {
                JsonNode waves = body.isArray() ? body : body.path("items");
                out().printf("%-38s %-28s %-15s %-12s %-10s %s%n", "ID", "NAME", "PHASE", "SITES", "STATE", "COUNTS");
                for (JsonNode w : waves) {
                    List<String> sites = new ArrayList<>();
                    w.path("sites").forEach(s -> sites.add(s.asText()));
                    out().printf("%-38s %-28s %-15s %-12s %-10s %s%n", w.path("id").asText(), w.path("name").asText(),
                            w.path("phase").asText(), String.join(",", sites), w.path("state").asText(),
                            compact(w.path("counts")));
                }
                if (waves.isEmpty()) {
                    out().println("(no waves)");
                }
            });
        }
    }

    /** A wave, for a person. */
    static void describe(PrintStream out, JsonNode w) {
        List<String> sites = new ArrayList<>();
        w.path("sites").forEach(s -> sites.add(s.asText()));
        out.printf("wave %s '%s': %s, phase %s, sites %s%n", w.path("id").asText(), w.path("name").asText(),
                w.path("state").asText(), w.path("phase").asText(), String.join(", ", sites));
        out.printf("  counts: %s%n", compact(w.path("counts")));
        if (w.has("batches")) {
            out.printf("  batch %d of %d (%d machines each), maxFailureRate %s%n", w.path("currentBatch").asInt(),
                    w.path("batches").asInt(), w.path("batchSize").asInt(), w.path("maxFailureRate").asText());
        }
        if (w.hasNonNull("haltedReason")) {
            out.printf("  halted: %s%n", w.path("haltedReason").asText());
        }
        if (w.hasNonNull("rollbackOf")) {
            out.printf("  rolls back wave %s%n", w.path("rollbackOf").asText());
        }
        out.printf("  created %s by %s%n", w.path("createdAt").asText(), w.path("createdBy").asText());
    }

    @Command(name = "show", description = "One wave: its state, counts and batching (viewer token).")
    static final class WavesShow extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "the wave id")
        String id;

        @Option(names = "--json", description = "print the API's JSON as is")
        boolean json;

        @Override
        int run() {
            RolloutApi.Answer answer = remediation(false).get("/api/v1/waves/" + encode(id));
            return answer.ok() ? print(answer, json, w -> describe(out(), w)) : refused(answer, "remediation-service");
        }
    }

    @Command(name = "create", description = "Create a wave (operator token); with --dry-run, show what it would "
            + "target and whether the orphan gate is open, creating nothing.")
    static final class WavesCreate extends ApiCommand {
        @Option(names = "--name", required = true, description = "the wave's name")
        String name;

        @Option(names = "--phase", required = true, description = "${COMPLETION-CANDIDATES}")
        Phase phase;

        @Option(names = "--sites", required = true, split = ",", paramLabel = "SITE", description = "site codes, "
                + "comma-separated")
        List<String> sites;

        @Option(names = "--roles", split = ",", paramLabel = "ROLE", description = "only machines with one of these "
                + "roles")
        List<String> roles;

        @Option(names = "--os-versions", split = ",", paramLabel = "VERSION", description = "only machines of these "
                + "OS versions (e.g. 6.1)")
        List<String> osVersions;

        @CommandLine.ArgGroup(exclusive = true)
        Batching batching;

        static final class Batching {
            @Option(names = "--batch-size", description = "machines per batch")
            Integer batchSize;

            @Option(names = "--percent", description = "machines per batch, in percent of those targeted")
            Integer percent;
        }

        @Option(names = "--max-failure-rate", required = true, description = "0 to 1: above this share of failed or "
                + "rejected jobs the wave halts")
        double maxFailureRate;

        @Option(names = "--acknowledge-stale", description = "DISABLE_LEGACY: let stale machines pass the orphan gate")
        boolean acknowledgeStale;

        @Option(names = "--dry-run", description = "plan only: nothing is created")
        boolean dryRun;

        @Option(names = "--idempotency-key", paramLabel = "KEY", description = "a repeat with the same key and body "
                + "answers the wave the first request made")
        String idempotencyKey;

        @Option(names = "--json", description = "print the API's JSON as is")
        boolean json;

        @Override
        int run() {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("name", name);
            request.put("phase", phase.name());
            request.put("sites", sites);
            if (roles != null || osVersions != null) {
                Map<String, Object> selector = new LinkedHashMap<>();
                if (roles != null) {
                    selector.put("roles", roles);
                }
                if (osVersions != null) {
                    selector.put("osVersions", osVersions);
                }
                request.put("selector", selector);
            }
            if (batching != null && batching.batchSize != null) {
                request.put("batchSize", batching.batchSize);
            }
            if (batching != null && batching.percent != null) {
                request.put("percent", batching.percent);
            }
            request.put("maxFailureRate", maxFailureRate);
            if (acknowledgeStale) {
                request.put("acknowledgeStale", true);
            }
            if (dryRun) {
                request.put("dryRun", true);
            }
            RolloutApi api = remediation(true);
            RolloutApi.Answer answer;
            try {
                answer = api.send("POST", "/api/v1/waves", HttpRequest.BodyPublishers.ofString(
                        Json.MAPPER.writeValueAsString(request)), "application/json", "application/json",
                        idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            if (!answer.ok()) {
                return refused(answer, "remediation-service");
            }
            return print(answer, json, body -> {
                if (dryRun) {
                    JsonNode gate = body.path("gate");
                    out().printf("dry run, nothing created: %d machine(s) would be targeted in %d batch(es) of %d%n",
                            body.path("targeted").asLong(), body.path("batches").asInt(), body.path("batchSize").asInt());
                    if (!gate.isMissingNode() && !gate.isNull()) {
                        out().printf("orphan gate: %s%s%n", gate.path("open").asBoolean() ? "open" : "closed",
                                gate.path("open").asBoolean() ? "" : " (blocking " + compact(gate.path("blocking")) + ")");
                    }
                    List<String> targets = new ArrayList<>();
                    body.path("targets").forEach(t -> targets.add(t.asText()));
                    if (!targets.isEmpty()) {
                        out().println("first targets: " + String.join(", ", targets));
                    }
                } else {
                    if (answer.status() == 200) {
                        out().println("this idempotency key created the wave already; nothing new was created");
                    }
                    describe(out(), body);
                }
            });
        }
    }

    /** pause, resume, cancel, rollback: {@code POST /api/v1/waves/{id}/<action>} with the operator token. */
    abstract static class WaveAction extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "the wave id")
        String id;

        @Option(names = "--json", description = "print the API's JSON as is")
        boolean json;

        abstract String action();

        @Override
        int run() {
            RolloutApi.Answer answer = remediation(true).send("POST", "/api/v1/waves/" + encode(id) + "/" + action(),
                    HttpRequest.BodyPublishers.noBody(), null, "application/json", Map.of());
            if (!answer.ok()) {
                return refused(answer, "remediation-service");
            }
            return print(answer, json, w -> {
                if (action().equals("rollback")) {
                    out().printf("rollback of wave %s created:%n", id);
                }
                describe(out(), w);
            });
        }
    }

    @Command(name = "pause", description = "Pause a PLANNED or RUNNING wave: it issues nothing more.")
    static final class WavesPause extends WaveAction {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Resume a PAUSED or HALTED wave.")
    static final class WavesResume extends WaveAction {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "cancel", description = "Cancel a wave for good: its unreported jobs are no longer served.")
    static final class WavesCancel extends WaveAction {
        @Override
        String action() {
            return "cancel";
        }
    }

    @Command(name = "rollback", description = "A new wave undoing, on each machine, what the wave's succeeded jobs changed (UNDO_JOB).")
    static final class WavesRollback extends WaveAction {
        @Override
        String action() {
            return "rollback";
        }
    }

    @Command(name = "progress", description = "Per site and phase, the machines in each state (viewer token).")
    static final class Progress extends ApiCommand {
        @Option(names = "--site", description = "this site only")
        String site;

        @Option(names = "--json", description = "print the API's JSON as is (with --site: that site's object of it)")
        boolean json;

        @Override
        int run() {
            RolloutApi.Answer answer = remediation(false).get("/api/v1/progress");
            if (!answer.ok()) {
                return refused(answer, "remediation-service");
            }
            List<JsonNode> sites = new ArrayList<>();
            answer.body().path("sites").forEach(s -> {
                if (site == null || s.path("siteCode").asText().equalsIgnoreCase(site)) {
                    sites.add(s);
                }
            });
            if (site != null && sites.isEmpty()) {
                main().err.println("tlsrollout: remediation-service knows no machine of site " + site);
                return REFUSED;
            }
            if (json) {
                out().println(site == null ? answer.text() : sites.get(0).toString());
                return 0;
            }
            if (site == null) {
                out().printf("%d machines%n", answer.body().path("machines").asLong());
                table(out(), "all sites", answer.body().path("totals"));
            }
            for (JsonNode s : sites) {
                out().printf("%nsite %s: %d machines%n", s.path("siteCode").asText(), s.path("machines").asLong());
                table(out(), "", s.path("phases"));
            }
            return 0;
        }

        private static void table(PrintStream out, String title, JsonNode phases) {
            if (!title.isEmpty()) {
                out.println(title + ":");
            }
            out.printf("  %-16s", "PHASE");
            for (PhaseState s : PhaseState.values()) {
                out.printf(" %15s", s.name());
            }
            out.println();
            for (Phase phase : Phase.values()) {
                out.printf("  %-16s", phase.name());
                for (PhaseState s : PhaseState.values()) {
                    out.printf(" %15d", phases.path(phase.name()).path(s.name()).asLong());
                }
                out.println();
            }
        }
    }

    @Command(name = "machines", description = "Export the machines as CSV, or retire one (remediation-service).",
            subcommands = {MachinesExport.class, MachinesRetire.class})
    static final class Machines implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed");
        }
    }

    @Command(name = "export", description = "Every matching machine as CSV with a header row (not paged), to "
            + "standard output or a file (viewer token).")
    static final class MachinesExport extends ApiCommand {
        @Option(names = "--csv", required = true, description = "CSV (the only format)")
        boolean csv;

        @Option(names = "--site", description = "this site only")
        String site;

        @Option(names = "--phase", description = "the phase that --state filters: ${COMPLETION-CANDIDATES}")
        Phase phase;

        @Option(names = "--state", description = "only machines showing this state in --phase: "
                + "${COMPLETION-CANDIDATES}")
        PhaseState state;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead")
        Path output;

        @Override
        int run() {
            if (state != null && phase == null) {
                throw new ConfigurationError("--state filters the state of one phase: give --phase too");
            }
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("site", site);
            q.put("phase", phase);
            q.put("state", state);
            RolloutApi api = remediation(false);
            String path = "/api/v1/machines" + query(q);
            if (output == null) {
                RolloutApi.Answer answer = api.download(path, "text/csv", out());
                return answer.ok() ? 0 : refused(answer, "remediation-service");
            }
            Path partial = output.resolveSibling(output.getFileName() + ".part");
            try {
                RolloutApi.Answer answer;
                try (OutputStream file = Files.newOutputStream(partial)) {
                    answer = api.download(path, "text/csv", file);
                }
                if (!answer.ok()) {
                    Files.deleteIfExists(partial);
                    return refused(answer, "remediation-service");
                }
                Files.move(partial, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                long lines;
                try (var l = Files.lines(output)) {
                    lines = l.count();
                }
                out().printf("wrote %d machine(s) to %s%n", Math.max(0, lines - 1), output);
                return 0;
            } catch (IOException e) {
                throw new ConfigurationError("cannot write " + output + ": " + e.getMessage());
            } finally {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a leftover .part file is harmless
                }
            }
        }
    }

    @Command(name = "retire", description = "The machine leaves progress, the orphan gate and every wave; a later "
            + "snapshot from it brings it back (operator token).")
    static final class MachinesRetire extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "the machine id")
        String id;

        @Option(names = "--json", description = "print the API's JSON as is")
        boolean json;

        @Override
        int run() {
            RolloutApi.Answer answer = remediation(true).send("POST", "/api/v1/machines/" + encode(id) + "/retire",
                    HttpRequest.BodyPublishers.noBody(), null, "application/json", Map.of());
            if (!answer.ok()) {
                return refused(answer, "remediation-service");
            }
            return print(answer, json, m -> out().printf("machine %s retired (site %s)%n", id,
                    m == null ? "?" : m.path("siteCode").asText("?")));
        }
    }

    @Command(name = "inventory", description = "The machines the estate expects (remediation-service).",
            subcommands = {InventoryImport.class})
    static final class Inventory implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed");
        }
    }

    @Command(name = "import", description = "Send an inventory file: .csv (header machineId,siteCode,roles,osVersion,"
            + "lastSeenAt) or .ndjson; prints what was added, updated and unchanged, and the rejected lines "
            + "(operator token).")
    static final class InventoryImport extends ApiCommand {
        @Parameters(paramLabel = "FILE", description = "a .csv or .ndjson file")
        Path file;

        @Option(names = "--json", description = "print the API's JSON as is")
        boolean json;

        @Override
        int run() {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            String type = name.endsWith(".csv") ? "text/csv"
                    : name.endsWith(".ndjson") || name.endsWith(".jsonl") ? "application/x-ndjson" : null;
            if (type == null) {
                throw new ConfigurationError(file + ": the name must end in .csv or .ndjson (it says the format)");
            }
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new ConfigurationError(file + " is not a readable file");
            }
            HttpRequest.BodyPublisher body;
            try {
                body = HttpRequest.BodyPublishers.ofFile(file);
            } catch (java.io.FileNotFoundException e) {
                throw new ConfigurationError(file + " is not a readable file");
            }
            RolloutApi.Answer answer = remediation(true).send("POST", "/api/v1/inventory", body, type,
                    "application/json", Map.of());
            if (!answer.ok()) {
                return refused(answer, "remediation-service");
            }
            return print(answer, json, r -> {
                out().printf("received %d: added %d, updated %d, unchanged %d, rejected %d%n",
                        r.path("received").asLong(), r.path("added").asLong(), r.path("updated").asLong(),
                        r.path("unchanged").asLong(), r.path("rejected").size());
                for (JsonNode rejected : r.path("rejected")) {
                    List<String> errors = new ArrayList<>();
                    rejected.path("errors").forEach(e -> errors.add(e.isObject()
                            ? e.path("field").asText("?") + ": " + e.path("message").asText() : e.asText()));
                    out().printf("  line %s: %s%n", rejected.path("line").asText(), String.join("; ", errors));
                }
            });
        }
    }

    @Command(name = "identity", description = "Agents' identity bindings (collector-service).",
            subcommands = {IdentityReset.class})
    static final class Identity implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed");
        }
    }

    @Command(name = "reset", description = "Release the machine id's binding to its agent key: its next enrollment "
            + "binds the key it sends (a reinstalled machine; operator token).")
    static final class IdentityReset extends ApiCommand {
        @Parameters(paramLabel = "MACHINE_ID", description = "the machine id")
        String machineId;

        @Override
        int run() {
            RolloutApi.Answer answer = collector().send("DELETE", "/api/v1/agents/" + encode(machineId) + "/identity",
                    HttpRequest.BodyPublishers.noBody(), null, "application/json", Map.of());
            if (!answer.ok()) {
                return refused(answer, "collector-service");
            }
            out().printf("released the identity of %s: its next enrollment binds the key it sends%n", machineId);
            return 0;
        }
    }
}
