package org.tlsrollout.rules.messaging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.KnownErrorId;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Role;

/**
 * The streaming reader against {@link Json#MAPPER}: the same record, or an error where the mapper errs, for the
 * contract's examples and thousands of mutations of them (fields dropped, nulled, of other types, duplicated, unknown,
 * odd instants, enum names and numbers); and the fast path does read the plain ones.
 */
class SnapshotReaderTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static Object outcome(byte[] json, boolean fast) {
        try {
            return fast ? SnapshotReader.read(json) : Json.MAPPER.readValue(json, MachineSnapshot.class);
        } catch (Exception e) {
            return "error";
        }
    }

    private static ObjectNode example(String name) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(Examples.json(name));
    }

    /** The bench's and the collector's form: an example with the collector's snapshotId and receivedAt. */
    private static ObjectNode published(String name, int i) throws Exception {
        ObjectNode s = example(name);
        s.put("machineId", "BENCH-" + i);
        s.put("snapshotId", "0b6b1c9e-" + i);
        s.put("receivedAt", Instant.ofEpochSecond(1_796_000_000L + i, (i % 4) * 125_000_000L).toString());
        return s;
    }

    @Test
    void readsTheContractExamplesOnTheFastPathAsTheMapperDoes() throws Exception {
        for (String name : Examples.ALL) {
            for (byte[] json : List.of(Examples.json(name).getBytes(UTF_8),
                    Json.MAPPER.writeValueAsBytes(published(name, 7)))) {
                MachineSnapshot expected = Json.MAPPER.readValue(json, MachineSnapshot.class);
                assertThat(SnapshotReader.readPlain(json)).as(name).isEqualTo(expected);
                assertThat(SnapshotReader.read(json)).as(name).isEqualTo(expected);
            }
        }
        assertThat(SnapshotReader.readPlain(Json.MAPPER.writeValueAsBytes(published(Examples.WIN7_CLIENT_BEFORE, 1))).registry())
                .containsKey("HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319");
    }

    @Test
    void readsWhatTheMapperReadsAndRefusesWhatItRefuses() throws Exception {
        SplittableRandom random = new SplittableRandom(22);
        int fast = 0;
        int errors = 0;
        int cases = 6_000;
        for (int i = 0; i < cases; i++) {
            ObjectNode s = published(Examples.ALL.get(i % 3), i);
            int mutations = random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                mutate(s, random);
            }
            String text = Json.MAPPER.writeValueAsString(s);
            text = switch (random.nextInt(12)) {
                case 0 -> "{\"siteCode\":\"DUP\"," + text.substring(1); // a field twice
                case 1 -> text + " {}";
                case 2 -> text + " x";
                case 3 -> " \n" + text.replace(",", " ,\n ");
                case 4 -> text.substring(0, random.nextInt(text.length())); // cut short
                case 5 -> "{\"os\":{\"version\":\"1\",\"version\":\"2\"}," + text.substring(1);
                default -> text;
            };
            byte[] json = text.getBytes(UTF_8);
            Object expected = outcome(json, false);
            assertThat(outcome(json, true)).as(text).isEqualTo(expected);
            if (SnapshotReader.readPlain(json) != null) {
                assertThat(SnapshotReader.readPlain(json)).as(text).isEqualTo(expected);
                fast++;
            }
            if ("error".equals(expected)) {
                errors++;
            }
        }
        // Both paths were taken, and the mapper refused some of the cases.
        assertThat(fast).isBetween(cases / 4, cases - 1);
        assertThat(errors).isPositive();
        assertThat(outcome("null".getBytes(UTF_8), true)).isNull();
        assertThat(outcome("[]".getBytes(UTF_8), true)).isEqualTo(outcome("[]".getBytes(UTF_8), false));
    }

    private static final String[] FIELDS = {"schemaVersion", "machineId", "hostname", "siteCode", "collectedAt",
        "sequence", "os", "roles", "hotfixes", "dotnet", "registry", "sql", "probes", "knownErrors", "pendingReboot",
        "lastBootAt", "agentVersion", "snapshotId", "receivedAt"};

    private static JsonNode oddValue(SplittableRandom random) {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.textNode("x");
            case 1 -> NODES.numberNode(7);
            case 2 -> NODES.numberNode(1.5);
            case 3 -> NODES.numberNode(new BigInteger("123456789012345678901234"));
            case 4 -> NODES.booleanNode(true);
            case 5 -> NODES.objectNode();
            case 6 -> NODES.arrayNode();
            case 7 -> NODES.arrayNode().add("CLIENT");
            case 8 -> NODES.textNode("17");
            case 9 -> NODES.numberNode(1_700_000_000L);
            case 10 -> NODES.textNode("2026-11-18T14:02:11.123456Z");
            case 11 -> NODES.textNode("2026-11-18T14:02:11+01:00");
            case 12 -> NODES.textNode("2026-11-18T14:02:11");
            case 13 -> NODES.textNode("");
            case 14 -> NODES.numberNode(3_000_000_000L);
            default -> NODES.nullNode();
        };
    }

    private static void mutate(ObjectNode s, SplittableRandom random) {
        String field = FIELDS[random.nextInt(FIELDS.length)];
        switch (random.nextInt(10)) {
            case 0 -> s.remove(field);
            case 1 -> s.putNull(field);
            case 2 -> s.set(field, oddValue(random));
            case 3 -> s.set("unknown" + random.nextInt(3), NODES.objectNode().set("a", NODES.arrayNode().add(1).add("b")));
            case 4 -> {
                ObjectNode registry = s.has("registry") && s.get("registry").isObject() ? (ObjectNode) s.get("registry")
                        : s.putObject("registry");
                String key = "HKLM\\SOFTWARE\\" + (random.nextBoolean() ? "Wow6432Node\\" : "") + "K" + random.nextInt(5);
                if (random.nextInt(5) == 0) {
                    registry.putNull(key);
                } else {
                    ObjectNode values = registry.putObject(key);
                    values.put("Enabled", random.nextLong(-1, 1L << 33));
                    values.set("Other", random.nextInt(4) == 0 ? oddValue(random) : NODES.numberNode(random.nextInt(2)));
                }
            }
            case 5 -> {
                String[] sections = {"os", "dotnet", "sql"};
                String section = sections[random.nextInt(3)];
                ObjectNode o = s.has(section) && s.get(section).isObject() ? (ObjectNode) s.get(section) : s.putObject(section);
                String[] names = switch (section) {
                    case "os" -> new String[] {"caption", "version", "productType", "architecture", "Version"};
                    case "dotnet" -> new String[] {"v4Release", "v35Installed", "extra"};
                    default -> new String[] {"serverVersion", "serverEdition", "nativeClientVersion"};
                };
                o.set(names[random.nextInt(names.length)], random.nextBoolean() ? oddValue(random) : NODES.textNode("10.50"));
            }
            case 6 -> {
                ArrayNode roles = s.putArray("roles");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    switch (random.nextInt(6)) {
                        case 0 -> roles.add("client");
                        case 1 -> roles.add("NO_SUCH_ROLE");
                        case 2 -> roles.addNull();
                        case 3 -> roles.add(1);
                        default -> roles.add(Role.values()[random.nextInt(Role.values().length)].name());
                    }
                }
            }
            case 7 -> {
                ArrayNode probes = s.putArray("probes");
                ObjectNode probe = probes.addObject().put("target", "https://x").put("protocol", "TLS1.2");
                switch (random.nextInt(5)) {
                    case 0 -> probe.put("ok", true);
                    case 1 -> probe.putNull("ok");
                    case 2 -> probe.put("ok", "true");
                    case 3 -> probe.put("ok", 1);
                    default -> { } // missing
                }
                probe.set("checkedAt", random.nextBoolean() ? NODES.textNode("2026-11-18T14:02:11Z") : oddValue(random));
                if (random.nextInt(4) == 0) {
                    probes.add("not a probe");
                }
            }
            case 8 -> {
                ArrayNode errors = s.putArray("knownErrors");
                ObjectNode e = errors.addObject().put("source", "log").put("excerpt", "text \"quoted\" \\ é");
                switch (random.nextInt(4)) {
                    case 0 -> e.put("id", "NO_SUCH_ERROR");
                    case 1 -> e.put("id", 0);
                    case 2 -> e.putNull("id");
                    default -> e.put("id", KnownErrorId.values()[random.nextInt(KnownErrorId.values().length)].name());
                }
                e.put("seenAt", "2026-11-18T14:02:11.5Z");
            }
            default -> {
                ArrayNode hotfixes = s.putArray("hotfixes");
                hotfixes.add("KB3140245");
                if (random.nextBoolean()) {
                    hotfixes.set(0, oddValue(random));
                }
            }
        }
    }

    @Test
    void theFastPathLeavesTheOddFormsToTheMapper() throws Exception {
        List<String> odd = new ArrayList<>();
        ObjectNode s = published(Examples.WIN7_CLIENT_BEFORE, 3);
        odd.add(Json.MAPPER.writeValueAsString(s.deepCopy().put("collectedAt", "2026-11-18T14:02:11+01:00")));
        odd.add(Json.MAPPER.writeValueAsString(s.deepCopy().put("sequence", "17")));
        odd.add(Json.MAPPER.writeValueAsString(s.deepCopy().put("schemaVersion", 1.0)));
        odd.add("{\"machineId\":\"a\",\"machineId\":\"b\"}");
        for (String text : odd) {
            byte[] json = text.getBytes(UTF_8);
            assertThat(SnapshotReader.readPlain(json)).as(text).isNull();
            assertThat(outcome(json, true)).as(text).isEqualTo(outcome(json, false));
        }
        assertThat(outcome(odd.get(0).getBytes(UTF_8), true)).isInstanceOf(MachineSnapshot.class);
    }
}
