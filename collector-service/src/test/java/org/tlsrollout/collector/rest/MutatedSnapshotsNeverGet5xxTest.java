package org.tlsrollout.collector.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.testing.KafkaTestResource;

/**
 * R4, "0 5xx" (issue #6, docs/benchmarks.md): the snapshot corpus that fuzzing saved (contracts'
 * SnapshotFuzzTestInputs) and mutations of the contract's examples (each field removed, nulled, given a value of
 * another type or a number beyond a double; truncations, flipped bytes) against POST /api/v1/snapshots and
 * /api/v1/snapshots/import: every answer is below 500, and every refusal RFC 9457 problem details. A real broker takes what is valid.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
class MutatedSnapshotsNeverGet5xxTest {
    static final Path CORPUS = Path.of("../contracts/src/test/resources/org/tlsrollout/contracts/SnapshotFuzzTestInputs/"
            + "anyDocumentValidatesOrNamesItsFieldErrors");
    static final String OPERATOR = "test-operator-token";
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final List<UnaryOperator<JsonNode>> REPLACEMENTS = List.of(
            n -> null, n -> F.nullNode(), n -> F.textNode("\u0000é"), n -> F.numberNode(new java.math.BigDecimal("1e400")),
            n -> F.arrayNode().add(n));

    /** What POST /api/v1/snapshots may answer to any body from a machine's own agent (api.md). */
    static final java.util.Set<Integer> SNAPSHOT_ANSWERS = java.util.Set.of(202, 400, 403, 413);

    static List<String> corpus() throws IOException {
        assertThat(CORPUS).as("the saved fuzzing corpus of contracts").isDirectory();
        List<String> inputs = new ArrayList<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path f : files.sorted().toList()) {
                inputs.add(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
            }
        }
        assertThat(inputs).isNotEmpty();
        return inputs;
    }

    /** Every field of every example removed or replaced (one of {@link #REPLACEMENTS} each); plus byte mutations. */
    static List<String> mutations() throws IOException {
        List<String> out = new ArrayList<>();
        Random random = new Random(6);
        for (String name : Examples.ALL) {
            String json = Examples.json(name);
            JsonNode doc = Json.MAPPER.readTree(json);
            List<String> pointers = new ArrayList<>();
            pointers(doc, "", pointers);
            // Each field one mutation, the kinds taken in turn (every kind reaches fields of every depth).
            for (int p = 0; p < pointers.size(); p++) {
                JsonNode copy = doc.deepCopy();
                replace(copy, pointers.get(p), REPLACEMENTS.get((p + out.size()) % REPLACEMENTS.size()));
                out.add(copy.toString());
            }
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 10; i++) {
                out.add(new String(bytes, 0, random.nextInt(bytes.length), StandardCharsets.UTF_8));
                byte[] flipped = bytes.clone();
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                }
                out.add(new String(flipped, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static void pointers(JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(f -> {
                out.add(at + "/" + f);
                pointers(node.get(f), at + "/" + f, out);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(at + "/" + i);
                pointers(node.get(i), at + "/" + i, out);
            }
        }
    }

    static void replace(JsonNode root, String pointer, UnaryOperator<JsonNode> replacement) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1);
        JsonNode value = replacement.apply(parent.isObject() ? parent.get(last) : parent.get(Integer.parseInt(last)));
        if (parent instanceof ObjectNode o) {
            if (value == null) {
                o.remove(last);
            } else {
                o.set(last, value);
            }
        } else if (parent instanceof ArrayNode a) {
            if (value == null) {
                a.remove(Integer.parseInt(last));
            } else {
                a.set(Integer.parseInt(last), value);
            }
        }
    }

    @Test
    void noInputGetsA5xx() throws Exception {
        Map<String, String> tokens = new HashMap<>();
        for (String name : Examples.ALL) {
            JsonNode doc = Json.MAPPER.readTree(Examples.json(name));
            tokens.put(doc.get("machineId").asText(), SnapshotResourceTest.enroll(doc.get("machineId").asText(),
                    doc.get("siteCode").asText()));
        }
        String anyToken = tokens.values().iterator().next();
        List<String> inputs = new ArrayList<>(corpus());
        int fromCorpus = inputs.size();
        inputs.addAll(mutations());

        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (String input : inputs) {
            String token = tokens.getOrDefault(machineIdOf(input), anyToken);
            Response r = given().auth().oauth2(token).contentType("application/json")
                    .body(input.getBytes(StandardCharsets.UTF_8)).post("/api/v1/snapshots");
            byStatus.merge(r.statusCode(), 1, Integer::sum);
            check(r, input, SNAPSHOT_ANSWERS, wrong);
        }
        Map<Integer, Integer> importStatus = new TreeMap<>();
        int lines = 0;
        for (int i = 0; i < inputs.size(); i += 250) {
            String ndjson = String.join("\n", inputs.subList(i, Math.min(inputs.size(), i + 250)));
            lines += ndjson.split("\n", -1).length;
            Response r = given().auth().oauth2(OPERATOR).contentType("application/x-ndjson")
                    .body(ndjson.getBytes(StandardCharsets.UTF_8)).post("/api/v1/snapshots/import");
            importStatus.merge(r.statusCode(), 1, Integer::sum);
            check(r, "import from input " + i, java.util.Set.of(200), wrong);
        }
        System.out.printf("R4 collector-service 0 5xx: %d inputs (%d from the fuzzing corpus), POST /api/v1/snapshots "
                + "%s; %d NDJSON lines in %d imports %s%n", inputs.size(), fromCorpus, byStatus, lines,
                importStatus.values().stream().mapToInt(Integer::intValue).sum(), importStatus);
        assertThat(wrong).isEmpty();
        assertThat(byStatus).containsKeys(202, 400);
    }

    static void check(Response r, String input, java.util.Set<Integer> allowed, List<String> wrong) {
        int status = r.statusCode();
        boolean ok = allowed.contains(status);
        if (ok && status >= 400) {
            ok = String.valueOf(r.contentType()).startsWith("application/problem+json")
                    && r.jsonPath().getInt("status") == status;
        }
        if (!ok && wrong.size() < 20) {
            wrong.add(status + " " + r.contentType() + " " + r.asString() + " for "
                    + input.substring(0, Math.min(200, input.length())));
        }
    }

    static String machineIdOf(String input) {
        try {
            return Json.MAPPER.readTree(input).path("machineId").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
