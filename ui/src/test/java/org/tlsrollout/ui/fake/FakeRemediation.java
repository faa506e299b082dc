package org.tlsrollout.ui.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for remediation-service inside the test JVM (the JDK's HttpServer): the JSON shapes the page relies
 * on, bearer tokens checked (an operator token, a viewer token, anything else 401 problem details), and every
 * request recorded so tests can check what the page sent.
 */
public final class FakeRemediation {
    public static final String OPERATOR_TOKEN = "operator-token-for-tests";
    public static final String VIEWER_TOKEN = "viewer-token-for-tests";
    public static final String PROBLEM_JSON = "application/problem+json";
    static final List<String> PHASES = List.of("CLIENTS", "SITE_SYSTEMS", "VERIFY", "DISABLE_LEGACY");
    static final List<String> STATES = List.of("COMPLIANT", "NOT_APPLICABLE", "NONCOMPLIANT", "UNKNOWN", "PENDING_RESTART", "STALE");
    /** Machines of NYC that block a DISABLE_LEGACY wave, as the orphan gate would list them. */
    public static final List<String> NYC_BLOCKING = List.of("NYC-PC-0007", "NYC-PC-0142", "NYC-SRV-0003");
    /** The machine of NYC known from inventory only that blocks the orphan gate until it is retired. */
    public static final String NYC_NEVER_REPORTED = "NYC-PC-0028";
    /** The columns of {@code GET /api/v1/machines} as CSV (api.md); {@code MachinesCsvHeaderTest} checks them. */
    public static final String MACHINES_CSV_HEADER =
            "machineId,siteCode,machineClass,lastSnapshotAt,neverReported,retired,CLIENTS,SITE_SYSTEMS,VERIFY,DISABLE_LEGACY";
    public static final String TEXT_CSV = "text/csv";

    /** One request as the fake received it. */
    public record Recorded(String method, String path, String query, String authorization, String contentType, String body,
            String accept) {
    }

    private static final Pattern WAVE_ACTION = Pattern.compile("^/api/v1/waves/([^/]+)/(pause|resume|cancel|rollback)$");
    private static final Pattern MACHINE = Pattern.compile("^/api/v1/machines/([^/]+)$");
    private static final Pattern RETIRE = Pattern.compile("^/api/v1/machines/([^/]+)/retire$");

    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Map<String, Integer>>> progress = new LinkedHashMap<>();
    private final List<JsonObject> waves = new ArrayList<>();
    private final List<JsonObject> auditTrail = new ArrayList<>();
    private final Set<String> retired = new TreeSet<>();
    private volatile CountDownLatch csvHold;
    private volatile boolean csvFinished;
    private HttpServer server;
    private ExecutorService executor;
    private int port;
    private int waveCounter;

    public synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("the fake remediation-service cannot listen on 127.0.0.1:" + port, e);
        }
        port = server.getAddress().getPort();
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        if (progress.isEmpty()) {
            reset();
        }
    }

    /** Stops answering (the port is kept, so {@link #start()} listens on it again). */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Back to the starting estate and waves, with no request recorded. */
    public synchronized void reset() {
        requests.clear();
        progress.clear();
        retired.clear();
        csvHold = null;
        csvFinished = false;
        site("NYC", new int[][] {
                {2050, 60, 212, 38, 95, 25}, {44, 2395, 12, 4, 0, 25}, {1710, 0, 410, 240, 95, 25}, {0, 2420, 35, 0, 0, 25}});
        site("LON", new int[][] {
                {1850, 40, 18, 4, 0, 8}, {40, 1872, 0, 0, 0, 8}, {1880, 0, 20, 12, 0, 8}, {12, 1872, 28, 0, 0, 8}});
        site("FRA", new int[][] {
                {620, 30, 540, 60, 40, 20}, {10, 1260, 16, 4, 0, 20}, {520, 0, 610, 120, 40, 20}, {0, 1260, 30, 0, 0, 20}});
        site("SGP", new int[][] {
                {618, 18, 0, 0, 0, 4}, {18, 618, 0, 0, 0, 4}, {636, 0, 0, 0, 0, 4}, {0, 618, 18, 0, 0, 4}});
        waves.clear();
        Instant now = Instant.now();
        waves.add(wave("w-0001", "NYC clients, pilot", "CLIENTS", List.of("NYC"), "COMPLETED", now.minus(Duration.ofDays(3)),
                counts(420, 420, 408, 9, 3, 0, 402), 100, 5, 5, 0.05, null, null));
        waves.add(wave("w-0002", "FRA clients", "CLIENTS", List.of("FRA"), "RUNNING", now.minus(Duration.ofHours(5)),
                counts(640, 300, 240, 6, 1, 40, 180), 100, 7, 3, 0.05, null, null));
        waves.add(wave("w-0003", "LON site systems", "SITE_SYSTEMS", List.of("LON"), "HALTED", now.minus(Duration.ofHours(26)),
                counts(40, 20, 14, 5, 1, 2, 12), 10, 4, 2, 0.10, null,
                "6 of 20 reported jobs failed or were rejected (30%), above the maximum of 10%"));
        waves.add(wave("w-0004", "SGP verify", "VERIFY", List.of("SGP"), "PAUSED", now.minus(Duration.ofHours(2)),
                counts(636, 200, 196, 0, 0, 0, 190), 200, 4, 1, 0.02, null, null));
        waveCounter = 4;
        auditTrail.clear();
        for (int i = 0; i < AUDIT_SEED; i++) {
            // oldest first: i minutes before now, from AUDIT_SEED down to 1
            String[] kind = AUDIT_KINDS[i % AUDIT_KINDS.length];
            auditTrail.add(auditEvent(now.minus(Duration.ofMinutes(AUDIT_SEED - i)), kind[0], kind[1], kind[2], kind[3],
                    kind[4].equals("REFUSED") ? 409 : 200, kind[4], kind[5]));
        }
    }

    /** How many audit events the fake starts with: more than one page of the ui's (50). */
    public static final int AUDIT_SEED = 57;
    /** actor, service, action, target, outcome, detail: the starting trail cycles through these. */
    private static final String[][] AUDIT_KINDS = {
        {"alice", "remediation-service", "WAVE_CREATE", "wave/w-0002", "DONE", "FRA clients: CLIENTS at FRA"},
        {"bob", "remediation-service", "WAVE_PAUSE", "wave/w-0004", "DONE", "SGP verify paused"},
        {"alice", "remediation-service", "MACHINE_RETIRE", "machine/NYC-PC-0028", "DONE", "retired"},
        {"operator", "collector-service", "AGENT_IDENTITY_RESET", "agent/LON-PC-0101", "DONE", "identity released"},
        {"bob", "remediation-service", "WAVE_CREATE", "wave/w-9999", "REFUSED", "the orphan gate is closed: 3 machines"},
    };

    private static JsonObject auditEvent(Instant at, String actor, String service, String action, String target,
            int status, String outcome, String detail) {
        return new JsonObject().put("eventId", java.util.UUID.nameUUIDFromBytes((at + action + target).getBytes(StandardCharsets.UTF_8))
                        .toString())
                .put("at", at.toString()).put("actor", actor).put("service", service).put("action", action)
                .put("target", target).put("outcome", outcome).put("status", status).put("detail", detail);
    }

    /**
     * GET /api/v1/audit as the remediation helper pages it like GET /api/v1/waves: an array, newest first, filtered by
     * actor and action, paged by page and size, the number of matches in X-Total-Count.
     */
    private Answer audit(Map<String, String> q) {
        List<JsonObject> matching = new ArrayList<>(auditTrail.stream()
                .filter(e -> q.get("actor") == null || e.getString("actor").equals(q.get("actor")))
                .filter(e -> q.get("action") == null || e.getString("action").equals(q.get("action")))
                .toList());
        java.util.Collections.reverse(matching);
        int size = q.get("size") == null ? matching.size() : Integer.parseInt(q.get("size"));
        int page = q.get("page") == null ? 0 : Integer.parseInt(q.get("page"));
        JsonArray items = new JsonArray();
        matching.stream().skip((long) page * size).limit(size).forEach(items::add);
        return new Answer(200, "application/json", items.encode(), Map.of("X-Total-Count", String.valueOf(matching.size())));
    }

    /** Every request received, oldest first. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public Optional<Recorded> last(String method, String path) {
        List<Recorded> all = requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            Recorded r = all.get(i);
            if (r.method().equals(method) && r.path().equals(path)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Changes how many machines of a site show a state in a phase (the live-update tests). */
    public synchronized void setCount(String site, String phase, String state, int n) {
        progress.get(site).get(phase).put(state, n);
    }

    /** The machines retired through the API since the last reset, in order of their ids. */
    public synchronized List<String> retired() {
        return List.copyOf(retired); // the TreeSet's order: Set.copyOf would iterate in a per-JVM order
    }

    /**
     * Makes the next CSV answers stop after their header row until the latch is counted down (at most a minute),
     * so a test can see the first bytes arrive before the fake has written the rest.
     */
    public CountDownLatch holdCsvAfterHeader() {
        csvFinished = false;
        csvHold = new CountDownLatch(1);
        return csvHold;
    }

    /** Whether a CSV answer has been written to its end. */
    public boolean csvFinished() {
        return csvFinished;
    }

    public synchronized String waveState(String id) {
        return waves.stream().filter(w -> w.getString("id").equals(id)).findFirst().orElseThrow().getString("state");
    }

    // ---- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            requests.add(new Recorded(exchange.getRequestMethod(), path, query, auth,
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, accept));
            Answer answer;
            synchronized (this) {
                answer = answer(exchange.getRequestMethod(), path, params(query), auth, body, accept);
            }
            if (answer.status() == 200 && TEXT_CSV.equals(answer.contentType())) {
                streamCsv(exchange, answer.body());
                return;
            }
            byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
            if (answer.body() != null) {
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            }
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    /** Sends a CSV answer chunked: the header row first, then (once any hold is released) the rest. */
    private void streamCsv(HttpExchange exchange, String csv) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", TEXT_CSV + "; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        int header = csv.indexOf('\n') + 1;
        exchange.getResponseBody().write(csv.substring(0, header).getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
        CountDownLatch hold = csvHold;
        if (hold != null) {
            try {
                hold.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.getResponseBody().write(csv.substring(header).getBytes(StandardCharsets.UTF_8));
        csvFinished = true;
    }

    private record Answer(int status, String contentType, String body, Map<String, String> headers) {
        Answer(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }

        static Answer json(int status, Object value) {
            return new Answer(status, "application/json", value instanceof JsonObject o ? o.encode() : ((JsonArray) value).encode());
        }

        static Answer problem(int status, String title, String detail) {
            return problem(status, new JsonObject().put("title", title).put("detail", detail));
        }

        static Answer problem(int status, JsonObject problem) {
            JsonObject p = new JsonObject().put("type", "urn:tlsrollout:problem:" + status).put("status", status).mergeIn(problem);
            return new Answer(status, PROBLEM_JSON, p.encode());
        }
    }

    private Answer answer(String method, String path, Map<String, String> q, String auth, String body, String accept) {
        if (path.equals("/.well-known/jwks.json")) {
            return Answer.json(200, new JsonObject().put("keys", new JsonArray().add(new JsonObject()
                    .put("kty", "EC").put("crv", "P-256").put("kid", "jobs-1").put("x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")
                    .put("y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"))));
        }
        String role = OPERATOR_TOKEN.equals(bearer(auth)) ? "operator" : VIEWER_TOKEN.equals(bearer(auth)) ? "viewer" : null;
        if (role == null) {
            return Answer.problem(401, new JsonObject().put("type", "urn:tlsrollout:problem:unauthorized").put("title", "Unauthorized")
                    .put("detail", auth == null ? "no bearer token" : "the bearer token is not valid"));
        }
        boolean write = method.equals("POST");
        if (write && !role.equals("operator")) {
            return Answer.problem(403, "Forbidden", "the viewer role may only read");
        }
        Matcher m;
        if (method.equals("GET") && path.equals("/api/v1/session")) {
            return Answer.json(200, new JsonObject().put("roles",
                    role.equals("operator") ? new JsonArray().add("operator").add("viewer") : new JsonArray().add("viewer")));
        }
        if (method.equals("GET") && path.equals("/api/v1/progress")) {
            return Answer.json(200, progressJson());
        }
        if (method.equals("GET") && path.equals("/api/v1/findings")) {
            return Answer.json(200, findings(q.get("site")));
        }
        if (method.equals("GET") && path.equals("/api/v1/machines")) {
            return machines(q, accept != null && accept.contains(TEXT_CSV));
        }
        if (method.equals("POST") && (m = RETIRE.matcher(path)).matches()) {
            String id = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            if (id.startsWith("GONE-")) {
                return Answer.problem(404, "Not Found", "no machine '" + id + "' is known");
            }
            retired.add(id);
            return Answer.json(200, machine(id));
        }
        if (method.equals("GET") && (m = MACHINE.matcher(path)).matches()) {
            String id = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            return id.startsWith("GONE-") ? Answer.problem(404, "Not Found", "no evaluation of machine '" + id + "' has been received")
                    : Answer.json(200, machine(id));
        }
        if (method.equals("GET") && path.equals("/api/v1/waves")) {
            JsonArray all = new JsonArray();
            waves.forEach(all::add);
            return Answer.json(200, all);
        }
        if (method.equals("GET") && path.equals("/api/v1/audit")) {
            return audit(q);
        }
        if (method.equals("POST") && path.equals("/api/v1/waves")) {
            return launch(body, role);
        }
        if (method.equals("POST") && (m = WAVE_ACTION.matcher(path)).matches()) {
            return waveAction(m.group(1), m.group(2));
        }
        return Answer.problem(404, "Not Found", method + " " + path + " is not an endpoint of the fake remediation-service");
    }

    private static String bearer(String auth) {
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    // ---- estate

    private void site(String code, int[][] counts) {
        Map<String, Map<String, Integer>> phases = new LinkedHashMap<>();
        for (int p = 0; p < PHASES.size(); p++) {
            Map<String, Integer> byState = new LinkedHashMap<>();
            for (int s = 0; s < STATES.size(); s++) {
                byState.put(STATES.get(s), counts[p][s]);
            }
            phases.put(PHASES.get(p), byState);
        }
        progress.put(code, phases);
    }

    private JsonObject progressJson() {
        JsonArray sites = new JsonArray();
        Map<String, Map<String, Integer>> totals = new LinkedHashMap<>();
        long machines = 0;
        for (var site : progress.entrySet()) {
            JsonObject phases = new JsonObject();
            int siteMachines = 0;
            for (var phase : site.getValue().entrySet()) {
                phases.put(phase.getKey(), new JsonObject(new LinkedHashMap<>(phase.getValue())));
                int sum = phase.getValue().values().stream().mapToInt(Integer::intValue).sum();
                siteMachines = Math.max(siteMachines, sum);
                phase.getValue().forEach((state, n) -> totals.computeIfAbsent(phase.getKey(), k -> new LinkedHashMap<>()).merge(state, n, Integer::sum));
            }
            machines += siteMachines;
            sites.add(new JsonObject().put("siteCode", site.getKey()).put("machines", siteMachines).put("phases", phases));
        }
        JsonObject totalsJson = new JsonObject();
        totals.forEach((phase, byState) -> totalsJson.put(phase, new JsonObject(new LinkedHashMap<>(byState))));
        return new JsonObject().put("sites", sites).put("totals", totalsJson).put("machines", machines)
                .put("generatedAt", Instant.now().toString());
    }

    private static JsonObject findings(String site) {
        int div = site == null || site.isEmpty() ? 1 : 4;
        Object[][] rows = {
                {"DOTNET_STRONG_CRYPTO", "CLIENTS", "ERROR", "FAIL", 612},
                {"DOTNET_SYSTEM_DEFAULT_TLS", "CLIENTS", "ERROR", "FAIL", 574},
                {"WINHTTP_DEFAULT_SECURE_PROTOCOLS", "CLIENTS", "ERROR", "FAIL", 231},
                {"WINHTTP_KB3140245", "CLIENTS", "ERROR", "FAIL", 118},
                {"DOTNET_VERSION", "CLIENTS", "ERROR", "UNKNOWN", 102},
                {"FIPS_POLICY", "CLIENTS", "WARNING", "FAIL", 14},
                {"SQL_NATIVE_CLIENT", "SITE_SYSTEMS", "ERROR", "FAIL", 9},
                {"SQL_SERVER_TLS12", "SITE_SYSTEMS", "ERROR", "UNKNOWN", 8},
                {"SCHANNEL_TLS12_SERVER", "SITE_SYSTEMS", "ERROR", "FAIL", 19},
                {"TLS12_HANDSHAKE", "VERIFY", "ERROR", "FAIL", 640},
                {"TLS12_HANDSHAKE", "VERIFY", "ERROR", "UNKNOWN", 372},
                {"REBOOT_COMPLETED", "VERIFY", "ERROR", "FAIL", 400},
                {"SCHANNEL_LEGACY_DISABLED", "DISABLE_LEGACY", "ERROR", "FAIL", 111},
        };
        JsonArray list = new JsonArray();
        for (Object[] r : rows) {
            list.add(new JsonObject().put("ruleId", r[0]).put("phase", r[1]).put("severity", r[2]).put("status", r[3])
                    .put("machines", Math.max(1, (Integer) r[4] / div)));
        }
        return new JsonObject().put("findings", list);
    }

    private Answer machines(Map<String, String> q, boolean csv) {
        int page = Integer.parseInt(q.getOrDefault("page", "0"));
        int size = Integer.parseInt(q.getOrDefault("size", "50"));
        JsonArray errors = new JsonArray();
        if (q.containsKey("state") && !q.containsKey("phase")) {
            errors.add(new JsonObject().put("field", "state").put("message", "state filters the state of one phase: give phase too"));
        }
        for (String flag : List.of("neverReported", "retired")) {
            if (q.containsKey(flag) && !List.of("true", "false").contains(q.get(flag))) {
                errors.add(new JsonObject().put("field", flag).put("message", "'" + q.get(flag) + "' is not true or false"));
            }
        }
        if (!errors.isEmpty()) {
            return Answer.problem(400, new JsonObject().put("title", "Bad Request").put("detail", "invalid query parameters")
                    .put("errors", errors));
        }
        String site = q.getOrDefault("site", "NYC");
        int total = q.containsKey("rule") ? 137 : q.containsKey("state") ? 212 : 2480;
        List<JsonObject> matching = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < total; i++) {
            boolean server = i % 17 == 3;
            String id = site + (server ? "-SRV-" : "-PC-") + String.format("%04d", i + 7);
            boolean never = neverReported(id);
            boolean isRetired = retired(id);
            JsonObject phases = new JsonObject()
                    .put("CLIENTS", never ? "UNKNOWN" : server ? "NOT_APPLICABLE" : i % 5 == 0 ? "COMPLIANT" : "NONCOMPLIANT")
                    .put("SITE_SYSTEMS", server ? (never ? "UNKNOWN" : "NONCOMPLIANT") : "NOT_APPLICABLE")
                    .put("VERIFY", never || i % 3 == 0 ? "UNKNOWN" : "NONCOMPLIANT")
                    .put("DISABLE_LEGACY", server ? (never ? "UNKNOWN" : "NONCOMPLIANT") : "NOT_APPLICABLE");
            if (q.containsKey("phase") && q.containsKey("state")) {
                phases.put(q.get("phase"), q.get("state"));
            }
            if (q.containsKey("neverReported") && Boolean.parseBoolean(q.get("neverReported")) != never
                    || q.containsKey("retired") && Boolean.parseBoolean(q.get("retired")) != isRetired) {
                continue;
            }
            matching.add(new JsonObject().put("machineId", id).put("siteCode", site).put("machineClass", server ? "site-system" : "client")
                    .put("lastSnapshotAt", never ? null : now.minus(Duration.ofMinutes(7L + i * 13L)).toString())
                    .put("neverReported", never).put("retired", isRetired).put("phases", phases));
        }
        if (csv) {
            StringBuilder out = new StringBuilder(MACHINES_CSV_HEADER).append('\n');
            for (JsonObject m : matching) {
                JsonObject phases = m.getJsonObject("phases");
                out.append(String.join(",", m.getString("machineId"), m.getString("siteCode"), m.getString("machineClass"),
                        m.getString("lastSnapshotAt") == null ? "" : m.getString("lastSnapshotAt"),
                        String.valueOf(m.getBoolean("neverReported")), String.valueOf(m.getBoolean("retired")),
                        phases.getString("CLIENTS"), phases.getString("SITE_SYSTEMS"), phases.getString("VERIFY"),
                        phases.getString("DISABLE_LEGACY"))).append('\n');
            }
            return new Answer(200, TEXT_CSV, out.toString());
        }
        JsonArray items = new JsonArray();
        matching.subList(Math.min(matching.size(), page * size), Math.min(matching.size(), (page + 1) * size)).forEach(items::add);
        return Answer.json(200, new JsonObject().put("page", page).put("size", size).put("total", matching.size()).put("items", items));
    }

    /** Machines known from inventory only: every 40th from the 22nd of a site (NYC-PC-0028 is the first). */
    private static boolean neverReported(String id) {
        int n = Integer.parseInt(id.replaceAll("^.*-", ""));
        return (n - 7) % 40 == 21;
    }

    /** Retired: every 40th from the 34th of a site (NYC-PC-0040 is the first), and those retired through the API. */
    private boolean retired(String id) {
        int n = Integer.parseInt(id.replaceAll("^.*-", ""));
        return (n - 7) % 40 == 33 || retired.contains(id);
    }

    private JsonObject machine(String id) {
        Instant now = Instant.now();
        String site = id.length() >= 3 ? id.substring(0, 3) : "NYC";
        boolean server = id.contains("-SRV-");
        String net4 = "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319";
        String net2 = "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727";
        JsonArray findings = new JsonArray()
                .add(new JsonObject().put("ruleId", "DOTNET_STRONG_CRYPTO").put("status", "FAIL").put("severity", "ERROR")
                        .put("phase", server ? "SITE_SYSTEMS" : "CLIENTS")
                        .put("message", "SchUseStrongCrypto is not 1 in " + net4 + " and " + net2 + " (found: absent, 0)")
                        .put("source", "000, 001, 003")
                        .put("actions", new JsonArray()
                                .add(new JsonObject().put("type", "SET_REGISTRY_DWORD").put("key", net4).put("name", "SchUseStrongCrypto").put("value", 1))
                                .add(new JsonObject().put("type", "SET_REGISTRY_DWORD").put("key", net2).put("name", "SchUseStrongCrypto").put("value", 1))
                                .add(new JsonObject().put("type", "RESTART").put("reason", ".NET reads SchUseStrongCrypto at start"))))
                .add(new JsonObject().put("ruleId", "TLS12_HANDSHAKE").put("status", "UNKNOWN").put("severity", "ERROR").put("phase", "VERIFY")
                        .put("message", "the snapshot has no probes: the agent has not tried a TLS 1.2-only handshake yet")
                        .put("source", "004").put("actions", new JsonArray().add(new JsonObject().put("type", "RUN_PROBES"))))
                .add(new JsonObject().put("ruleId", "FIPS_POLICY").put("status", "FAIL").put("severity", "WARNING").put("phase", "CLIENTS")
                        .put("message", "FipsAlgorithmPolicy Enabled is 1: SChannel can negotiate TLS 1.0 even where the registry disables it")
                        .put("source", "001"));
        JsonArray jobs = new JsonArray()
                .add(new JsonObject().put("jobId", "j-7f3a91").put("waveId", "w-0001").put("phase", "CLIENTS").put("state", "FAILED").put("seq", 1)
                        .put("issuedAt", now.minus(Duration.ofDays(3)).toString()).put("reportedAt", now.minus(Duration.ofDays(3)).plusSeconds(540).toString())
                        .put("detail", "INSTALL_SOFTWARE dotnet-framework 4.8: the deployment reported exit code 1603"))
                .add(new JsonObject().put("jobId", "j-8c21d0").put("waveId", "w-0002").put("phase", "CLIENTS").put("state", "ISSUED").put("seq", 2)
                        .put("issuedAt", now.minus(Duration.ofMinutes(40)).toString()).putNull("reportedAt").putNull("detail"));
        boolean never = id.matches(".*-\\d+$") && neverReported(id);
        return new JsonObject().put("machineId", id).put("siteCode", site).put("machineClass", server ? "site-system" : "client")
                .put("lastSnapshotAt", never ? null : now.minus(Duration.ofMinutes(42)).toString())
                .put("neverReported", never).put("retired", id.matches(".*-\\d+$") && retired(id))
                .put("phases", new JsonObject().put("CLIENTS", server ? "NOT_APPLICABLE" : "NONCOMPLIANT")
                        .put("SITE_SYSTEMS", server ? "NONCOMPLIANT" : "NOT_APPLICABLE").put("VERIFY", "UNKNOWN")
                        .put("DISABLE_LEGACY", server ? "NONCOMPLIANT" : "NOT_APPLICABLE"))
                .put("findings", findings).put("jobs", jobs);
    }

    // ---- waves

    private static JsonObject counts(int targeted, int issued, int succeeded, int failed, int rejected, int pendingRestart, int verified) {
        return new JsonObject().put("targeted", targeted).put("issued", issued).put("succeeded", succeeded).put("failed", failed)
                .put("rejected", rejected).put("pendingRestart", pendingRestart).put("verified", verified);
    }

    private static JsonObject wave(String id, String name, String phase, List<String> sites, String state, Instant createdAt,
            JsonObject counts, int batchSize, int batches, int currentBatch, double maxFailureRate, String rollbackOf, String haltedReason) {
        return new JsonObject().put("id", id).put("name", name).put("phase", phase).put("sites", new JsonArray(new ArrayList<>(sites)))
                .put("state", state).put("counts", counts).put("createdAt", createdAt.toString()).put("createdBy", "operator")
                .put("batchSize", batchSize).put("batches", batches).put("currentBatch", currentBatch).put("maxFailureRate", maxFailureRate)
                .put("rollbackOf", rollbackOf).put("haltedReason", haltedReason);
    }

    private Answer launch(String body, String role) {
        JsonObject request;
        try {
            request = new JsonObject(body);
        } catch (RuntimeException e) {
            return Answer.problem(400, "Bad Request", "the body is not a JSON object");
        }
        JsonArray errors = new JsonArray();
        String name = request.getString("name", "");
        String phase = request.getString("phase", "");
        JsonArray sites = request.getJsonArray("sites", new JsonArray());
        if (name.isBlank()) {
            errors.add(error("/name", "must not be blank"));
        }
        if (!PHASES.contains(phase)) {
            errors.add(error("/phase", "must be one of " + PHASES));
        }
        if (sites.isEmpty()) {
            errors.add(error("/sites", "name at least one site"));
        }
        Integer batchSize = request.getInteger("batchSize");
        Number percent = request.getNumber("percent");
        if (batchSize == null && percent == null) {
            errors.add(error("/batchSize", "give batchSize or percent"));
        } else if (batchSize != null && (batchSize < 1 || batchSize > 10_000)) {
            errors.add(error("/batchSize", "must be from 1 to 10000"));
        } else if (percent != null && (percent.doubleValue() <= 0 || percent.doubleValue() > 100)) {
            errors.add(error("/percent", "must be more than 0 and at most 100"));
        }
        Number rate = request.getNumber("maxFailureRate");
        if (rate == null || rate.doubleValue() < 0 || rate.doubleValue() > 1) {
            errors.add(error("/maxFailureRate", "must be a fraction from 0 to 1"));
        }
        if (!errors.isEmpty()) {
            return Answer.problem(400, new JsonObject().put("type", "urn:tlsrollout:problem:invalid-request").put("title", "Invalid wave")
                    .put("detail", errors.size() + " field" + (errors.size() == 1 ? " is" : "s are") + " invalid").put("errors", errors));
        }
        boolean dryRun = request.getBoolean("dryRun", false);
        boolean ackStale = request.getBoolean("acknowledgeStale", false);
        int targeted = 0;
        for (Object site : sites) {
            Map<String, Integer> counts = progress.getOrDefault((String) site, Map.of()).getOrDefault(phase, Map.of());
            targeted += counts.getOrDefault("NONCOMPLIANT", 0) + counts.getOrDefault("UNKNOWN", 0);
        }
        int size = batchSize != null ? batchSize : Math.max(1, (int) Math.ceil(targeted * percent.doubleValue() / 100));
        int batches = targeted == 0 ? 0 : (targeted + size - 1) / size;
        JsonObject gate = gate(phase, sites, ackStale);
        if (dryRun) {
            return Answer.json(200, new JsonObject().put("dryRun", true).put("targeted", targeted).put("batchSize", size)
                    .put("batches", batches).put("gate", gate));
        }
        if (!gate.getBoolean("open")) {
            JsonObject blocking = gate.getJsonObject("blocking");
            return Answer.problem(409, new JsonObject().put("type", "urn:tlsrollout:problem:orphan-gate").put("title", "Orphan gate closed")
                    .put("detail", blocking.getInteger("total") + " machines of " + sites.encode().replaceAll("[\\[\\]\"]", "")
                            + " are not ready in CLIENTS, SITE_SYSTEMS and VERIFY: disabling legacy protocols now would orphan them")
                    .put("blocking", blocking).put("machines", gate.getJsonArray("machines")));
        }
        JsonObject created = wave(String.format("w-%04d", ++waveCounter), name, phase, sites.getList(), "RUNNING", Instant.now(),
                counts(targeted, Math.min(size, targeted), 0, 0, 0, 0, 0), size, batches, 1, rate.doubleValue(), null, null)
                .put("createdBy", role);
        waves.add(created);
        return Answer.json(201, created);
    }

    private static JsonObject error(String field, String message) {
        return new JsonObject().put("field", field).put("message", message);
    }

    /** The orphan gate: only DISABLE_LEGACY waves are gated; NYC and FRA have machines that are not ready. */
    private JsonObject gate(String phase, JsonArray sites, boolean ackStale) {
        JsonObject byPhase = new JsonObject().put("CLIENTS", 0).put("SITE_SYSTEMS", 0).put("VERIFY", 0);
        JsonArray machines = new JsonArray();
        int stale = 0;
        int never = 0;
        if (phase.equals("DISABLE_LEGACY")) {
            for (Object s : sites) {
                if (s.equals("NYC")) {
                    byPhase.put("CLIENTS", byPhase.getInteger("CLIENTS") + 2).put("VERIFY", byPhase.getInteger("VERIFY") + 1);
                    NYC_BLOCKING.forEach(machines::add);
                    stale += ackStale ? 0 : 1;
                    if (!ackStale) {
                        machines.add("NYC-PC-2301");
                    }
                    // known from inventory only: blocks whatever the wave acknowledges, until retired
                    if (!retired.contains(NYC_NEVER_REPORTED)) {
                        never++;
                        machines.add(NYC_NEVER_REPORTED);
                    }
                } else if (s.equals("FRA")) {
                    byPhase.put("SITE_SYSTEMS", byPhase.getInteger("SITE_SYSTEMS") + 1);
                    machines.add("FRA-SRV-0011");
                }
            }
        }
        int total = machines.size();
        return new JsonObject().put("open", total == 0)
                .put("blocking", new JsonObject().put("total", total).put("byPhase", byPhase).put("stale", stale)
                        .put("neverReported", never))
                .put("machines", machines);
    }

    private Answer waveAction(String id, String action) {
        JsonObject wave = waves.stream().filter(w -> w.getString("id").equals(id)).findFirst().orElse(null);
        if (wave == null) {
            return Answer.problem(404, "Not Found", "no wave " + id);
        }
        String state = wave.getString("state");
        String next = switch (action) {
            case "pause" -> state.equals("RUNNING") ? "PAUSED" : null;
            case "resume" -> state.equals("PAUSED") || state.equals("HALTED") ? "RUNNING" : null;
            case "cancel" -> List.of("PLANNED", "RUNNING", "PAUSED", "HALTED").contains(state) ? "CANCELLED" : null;
            default -> "ROLLBACK";
        };
        if (next == null) {
            return Answer.problem(409, "Conflict", "wave " + id + " is " + state + ": it cannot " + action);
        }
        if (next.equals("ROLLBACK")) {
            JsonObject c = wave.getJsonObject("counts");
            JsonObject rollback = wave(String.format("w-%04d", ++waveCounter), "Rollback of " + wave.getString("name"), wave.getString("phase"),
                    wave.getJsonArray("sites").getList(), "RUNNING", Instant.now(), counts(c.getInteger("succeeded"), 0, 0, 0, 0, 0, 0),
                    wave.getInteger("batchSize"), wave.getInteger("batches"), 1, wave.getDouble("maxFailureRate"), id, null);
            waves.add(rollback);
            return Answer.json(200, rollback);
        }
        wave.put("state", next);
        if (!next.equals("HALTED")) {
            wave.putNull("haltedReason");
        }
        return Answer.json(200, wave);
    }
}
