package org.tlsrollout.benchmarks;

import org.tlsrollout.contracts.EnrollmentRequest;
import java.time.Instant;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tlsrollout.cli.Component;
import org.tlsrollout.cli.StackException;
import org.tlsrollout.contracts.Json;

/**
 * B4: agent job polls per second ({@code GET /api/v1/agents/{machineId}/jobs}, each with its machine's agent token)
 * against a trivial endpoint of the same service ({@code GET /q/health/live}: no authentication, no database), both
 * loaded by wrk from its own process with the same threads and connections, in the same run.
 * <p>
 * Its own Kafka, collector-service (which enrolls the machines and signs their agent tokens) and remediation-service
 * ({@link BenchStack}, heap {@value WaveCreationBenchmark#HEAP}). The wrk script rotates through every machine's token,
 * each wrk thread from its own starting point, so that the service sees many different tokens and machines.
 */
public final class AgentPollBenchmark implements Benchmark {
    static final String INSTALL = "wrk is not installed; B4 needs it as its load generator: `sudo apt-get install wrk`"
            + " (Debian, Ubuntu), `brew install wrk` (macOS), or build it from https://github.com/wg/wrk";
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors:.*");
    private static final String SCRIPT = """
            -- B4 (tlsrollout bench B4): each request polls the jobs of the next machine with its own agent token.
            local paths = {}
            local auth = {}
            local i = 0
            init = function(args)
              for line in io.lines(args[1]) do
                local id, token = line:match("^(%S+) (%S+)$")
                paths[#paths + 1] = "/api/v1/agents/" .. id .. "/jobs"
                auth[#auth + 1] = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
              end
              math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
              i = math.random(#paths)
            end
            request = function()
              i = i % #paths + 1
              return wrk.format("GET", paths[i], auth[i])
            end
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String id() {
        return "B4";
    }

    @Override
    public String description() {
        return "agent job polls per second (wrk, agent tokens of many machines) against GET /q/health/live of the"
                + " same service";
    }

    @Override
    public Result run(org.tlsrollout.cli.StackConfig user, boolean quick, PrintStream out) throws Exception {
        String wrk = wrk();
        int machines = quick ? 500 : 2_000;
        String duration = quick ? "10s" : "30s";
        String warmUp = quick ? "5s" : "15s";
        int threads = 2;
        int connections = 32;
        try (BenchStack stack = BenchStack.start(user, "B4",
                java.util.EnumSet.of(Component.KAFKA, Component.COLLECTOR, Component.REMEDIATION),
                BenchStack.javaOptions(WaveCreationBenchmark.HEAP), out)) {
            Path tokens = stack.config().home().resolve("b4-tokens.txt");
            Path script = stack.config().home().resolve("b4-polls.lua");
            Files.writeString(script, SCRIPT);
            enroll(stack.config().collectorUrl(), stack.config().tokens().enrollSecret(), machines, tokens, out);
            String base = stack.config().remediationUrl();
            firstPolls(base, tokens, out);
            List<String> polls = List.of(wrk, "-t" + threads, "-c" + connections, "-s", script.toString(), base,
                    "--", tokens.toString());
            List<String> live = List.of(wrk, "-t" + threads, "-c" + connections, base + "/q/health/live");
            out.printf("wrk: %d threads, %d connections; %,d machines' tokens; warm-up %s each, then %s each, twice,"
                    + " alternating%n", threads, connections, machines, warmUp, duration);
            rate(with(live, warmUp), out, "warm-up /q/health/live");
            rate(with(polls, warmUp), out, "warm-up polls");
            double pollSum = 0;
            double liveSum = 0;
            for (int round = 1; round <= 2; round++) {
                liveSum += rate(with(live, duration), out, "round " + round + " GET /q/health/live");
                pollSum += rate(with(polls, duration), out, "round " + round + " GET /api/v1/agents/{id}/jobs");
            }
            long[] rss = BenchStack.rssMiB(stack.pid(Component.REMEDIATION));
            double pollRate = pollSum / 2;
            double liveRate = liveSum / 2;
            out.printf(Locale.ROOT, "B4 polls %.0f /s, /q/health/live %.0f /s, ratio %.3f; remediation-service RSS"
                    + " peak %d MiB, now %d MiB%n", pollRate, liveRate, pollRate / liveRate, rss[0], rss[1]);
            return new Result(id(), "polls_per_s", Math.round(pollRate), pollRate / liveRate);
        }
    }

    private static List<String> with(List<String> command, String duration) {
        List<String> c = new ArrayList<>(command);
        c.add(1, "-d" + duration);
        return c;
    }

    /** Runs wrk, prints its summary, returns its requests per second; any non-2xx answer or socket error fails. */
    private static double rate(List<String> command, PrintStream out, String label) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new StackException("wrk failed (" + String.join(" ", command) + "):\n" + text);
        }
        Matcher rate = RATE.matcher(text);
        if (!rate.find()) {
            throw new StackException("no Requests/sec in wrk's output:\n" + text);
        }
        Matcher bad = NON_2XX.matcher(text);
        if (bad.find()) {
            throw new StackException(label + ": " + bad.group(1) + " answers were not 2xx:\n" + text);
        }
        Matcher errors = ERRORS.matcher(text);
        double value = Double.parseDouble(rate.group(1));
        out.printf(Locale.ROOT, "  %-45s %8.0f req/s%s%n", label, value, errors.find() ? "  (" + errors.group() + ")" : "");
        return value;
    }

    /**
     * Every machine polls once, one after the other, each answer checked (200, a JSON array): as the agents' earlier
     * polls would have, this verifies each token once, so that wrk measures polls by agents whose token the service
     * already verified within its cache's TTL (5 minutes, longer than the whole run).
     */
    private void firstPolls(String base, Path tokens, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        List<String> lines = Files.readAllLines(tokens);
        for (String line : lines) {
            String[] parts = line.split(" ");
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/agents/" + parts[0] + "/jobs")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + parts[1]).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200 || !answer.body().startsWith("[")) {
                throw new StackException("the first poll of " + parts[0] + " answered " + answer.statusCode() + ": "
                        + answer.body());
            }
        }
        out.printf("every machine polled once (its token verified) in %.1f s: %.2f ms a poll%n",
                (System.nanoTime() - t0) / 1e9, (System.nanoTime() - t0) / 1e6 / lines.size());
    }

    /** Enrolls the machines at the collector; writes "machineId token" lines for the wrk script. */
    private void enroll(String collector, String secret, int machines, Path file, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < machines; i++) {
            String machineId = String.format(Locale.ROOT, "b4-%05d", i);
            String body = Json.MAPPER.writeValueAsString(EnrollmentRequest.signed(EnrollmentRequest.newAgentKey(),
                    machineId, "B40", secret, Instant.now()));
            HttpResponse<String> answer;
            try {
                answer = http.send(HttpRequest.newBuilder(URI.create(collector + "/api/v1/agents/enroll"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new StackException("cannot enroll at " + collector + ": " + e.getMessage(), e);
            }
            if (answer.statusCode() != 200) {
                throw new StackException("enroll answered " + answer.statusCode() + ": " + answer.body());
            }
            lines.append(machineId).append(' ').append(Json.MAPPER.readTree(answer.body()).path("agentToken").asText())
                    .append('\n');
        }
        Files.writeString(file, lines);
        out.printf("enrolled %,d machines at the collector in %.1f s%n", machines, (System.nanoTime() - t0) / 1e9);
    }

    private static String wrk() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "wrk");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new StackException(INSTALL);
    }
}
