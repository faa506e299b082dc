package org.tlsrollout.rules.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.tlsrollout.contracts.CloudEvents;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.Topics;
import org.junit.jupiter.api.Test;

/** A template's headers are CloudEvents.binaryHeaders' for each record, in order, byte for byte. */
class HeaderTemplateTest {
    private static List<String> written(Iterable<Header> headers) {
        List<String> all = new ArrayList<>();
        headers.forEach(h -> all.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)));
        return all;
    }

    @Test
    void theHeadersAreBinaryHeadersOfTheSnapshotsIdSubjectAndTheTime() throws Exception {
        Instant now = Instant.parse("2026-12-07T02:30:00.123456Z");
        SnapshotEvaluator.HeaderTemplate template = new SnapshotEvaluator.HeaderTemplate(now);
        MachineSnapshot example = Json.MAPPER.readValue(Examples.json(Examples.WIN7_CLIENT_BEFORE), MachineSnapshot.class);
        for (MachineSnapshot s : List.of(example, example.received("snap-1", now), example.received("snap-2", now))) {
            List<String> expected = new ArrayList<>();
            String id = s.snapshotId() != null ? s.snapshotId() : s.machineId() + "@" + s.collectedAt();
            CloudEvents.binaryHeaders(id, Topics.EVALUATION_EVENT_TYPE, SnapshotEvaluator.SOURCE, s.machineId(), now,
                    (k, v) -> expected.add(k + "=" + new String(v, StandardCharsets.UTF_8)));
            assertThat(written(template.of(s))).isEqualTo(expected);
        }
        assertThat(written(template.of(example.received("snap-3", now)))).contains("ce_id=snap-3",
                "ce_time=2026-12-07T02:30:00.123456Z", "ce_subject=" + example.machineId());
    }
}
