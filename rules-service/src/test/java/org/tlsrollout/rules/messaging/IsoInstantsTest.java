package org.tlsrollout.rules.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Json;

/** The hand-made instants are Jackson's (JavaTimeModule's) to the character, and the odd forms still go its way. */
class IsoInstantsTest {
    private static final ObjectMapper WITH = Json.MAPPER.copy().registerModule(IsoInstants.module());

    private static List<Instant> instants() {
        List<Instant> all = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2026-12-06T23:00:00Z"),
                Instant.parse("2026-12-06T23:00:00.100Z"), Instant.parse("2026-12-06T23:00:00.000001Z"),
                Instant.parse("2026-12-06T23:00:00.000000001Z"), Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.5Z"),
                Instant.parse("1969-12-31T23:59:59.999Z"), Instant.MIN, Instant.MAX, Instant.parse("+10000-01-01T00:00:00Z")));
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < 2_000; i++) {
            long second = random.nextLong(-2_000_000_000L, 8_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            all.add(Instant.ofEpochSecond(second, nanos));
        }
        return all;
    }

    @Test
    void writesWhatJacksonWritesAndReadsItBack() throws Exception {
        for (Instant instant : instants()) {
            String json = WITH.writeValueAsString(instant);
            assertThat(json).isEqualTo(Json.MAPPER.writeValueAsString(instant));
            assertThat(WITH.readValue(json, Instant.class)).isEqualTo(instant);
        }
    }

    @Test
    void readsEveryFractionLengthAsJacksonDoes() throws Exception {
        for (int digits = 0; digits <= 9; digits++) {
            String json = "\"2026-12-06T23:00:00" + (digits == 0 ? "" : "." + "123456789".substring(0, digits)) + "Z\"";
            assertThat(WITH.readValue(json, Instant.class)).isEqualTo(Json.MAPPER.readValue(json, Instant.class));
        }
    }

    @Test
    void otherFormsAndMalformedValuesAreReadOrRefusedAsJacksonDoes() throws Exception {
        for (String json : List.of("\"2026-12-06T23:00:00+01:00\"", "\"2026-12-06t23:00:00z\"", "1733526000",
                "\"2026-12-06T23:00:60Z\"", "\"2026-02-30T23:00:00Z\"", "\"2026-12-06T24:00:00Z\"",
                "\"2026-12-06T23:00:00.Z\"", "\"2026-12-06T23:00:00.1234567890Z\"", "\"2026-12-06 23:00:00Z\"",
                "\"20x6-12-06T23:00:00Z\"", "\"\"", "null")) {
            Object expected;
            try {
                expected = Json.MAPPER.readValue(json, Instant.class);
            } catch (Exception e) {
                expected = e.getClass();
            }
            Object actual;
            try {
                actual = WITH.readValue(json, Instant.class);
            } catch (Exception e) {
                actual = e.getClass();
            }
            assertThat(actual).as(json).isEqualTo(expected);
        }
        assertThat(catchThrowable(() -> WITH.readValue("\"2026-02-30T23:00:00Z\"", Instant.class))).isNotNull();
    }
}
