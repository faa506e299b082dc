package org.tlsrollout.agent.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.agent.jobs.InMemorySequenceStore;
import org.tlsrollout.agent.registry.InMemoryRegistry;
import org.tlsrollout.agent.sim.EstateGenerator;
import org.tlsrollout.agent.sim.SimulatedEstate;
import org.tlsrollout.agent.sim.SimulatedMachine;
import org.tlsrollout.agent.testing.RecordingHost;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.MachineSnapshot;
import org.tlsrollout.contracts.RegistryKeys;
import org.tlsrollout.contracts.SnapshotSchema;

class SnapshotCollectorTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-19T09:30:00Z"), ZoneOffset.UTC);
    static final SnapshotSchema SCHEMA = new SnapshotSchema();

    @Test
    void everyMachineKindOfAGeneratedEstateReportsAValidSnapshot() {
        Set<String> kinds = new HashSet<>();
        // a large estate (every role, every OS, every SQL branch) and a tiny one (all-in-one site servers)
        for (SimulatedEstate estate : List.of(new EstateGenerator(7, 6_000, 19).generate(CLOCK),
                new EstateGenerator(8, 40, 4).generate(CLOCK))) {
            for (SimulatedMachine m : estate.machines()) {
                MachineSnapshot s = estate.collector(m, SCHEMA).collect();
                assertThat(SCHEMA.validate(Json.MAPPER.valueToTree(s))).as(m.toString()).isEmpty();
                assertThat(s.machineId()).isEqualTo(m.id());
                assertThat(s.knownErrors()).isNotNull();
                assertThat(s.probes()).isNotNull();
                kinds.add(s.os().caption() + "/" + s.os().architecture() + "/" + s.roles());
            }
        }
        assertThat(kinds).hasSizeGreaterThan(40);
    }

    @Test
    void wowKeysOnlyOnX64AndOnlyReportedKeys() {
        RecordingHost host = new RecordingHost();
        InMemoryRegistry registry = new InMemoryRegistry()
                .put(RegistryKeys.NET4, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1)
                .put(RegistryKeys.NET4_WOW, RegistryKeys.SCH_USE_STRONG_CRYPTO, 1)
                .put("HKLM\\SOFTWARE\\Policies\\Microsoft\\Cryptography", "Other", 1);
        SnapshotCollector collector = collector(registry, host).build();

        MachineSnapshot x64 = collector.collect();
        assertThat(x64.registry()).containsOnlyKeys(RegistryKeys.NET4, RegistryKeys.NET4_WOW);

        host.x64 = false;
        MachineSnapshot x86 = collector.collect();
        assertThat(x86.registry()).containsOnlyKeys(RegistryKeys.NET4);
    }

    @Test
    void eachSnapshotTakesTheNextSequence() {
        InMemorySequenceStore sequence = new InMemorySequenceStore(41);
        SnapshotCollector collector = collector(new InMemoryRegistry(), new RecordingHost()).sequence(sequence).build();
        assertThat(collector.collect().sequence()).isEqualTo(42);
        assertThat(collector.collect().sequence()).isEqualTo(43);
        assertThat(sequence.last()).isEqualTo(43);
    }

    @Test
    void withoutProberOrLogsTheSectionsAreLeftOut() {
        MachineSnapshot s = SnapshotCollector.builder().machine("PC-0142.corp.example", "P01")
                .registry(new InMemoryRegistry()).host(new RecordingHost()).sequence(new InMemorySequenceStore())
                .clock(CLOCK).schema(SCHEMA).build().collect();
        assertThat(s.probes()).isNull();
        assertThat(s.knownErrors()).isNull();
        assertThat(s.collectedAt()).isEqualTo(CLOCK.instant());
    }

    @Test
    void probesFromARunProbesActionAreUsedAsGiven() {
        RecordingHost host = new RecordingHost();
        List<MachineSnapshot.Probe> given = List.of(new MachineSnapshot.Probe("cm-sql01:1433", "TLS1.2", false,
                "SEC_E_ALGORITHM_MISMATCH", CLOCK.instant()));
        MachineSnapshot s = collector(new InMemoryRegistry(), host).build().collect(given);
        assertThat(s.probes()).isEqualTo(given);
        assertThat(host.calls).doesNotContain("probe");
    }

    @Test
    void anInvalidSnapshotIsNeverReturned() {
        SnapshotCollector collector = SnapshotCollector.builder().machine("not a valid id!", "p01")
                .registry(new InMemoryRegistry()).host(new RecordingHost()).sequence(new InMemorySequenceStore())
                .clock(CLOCK).schema(SCHEMA).build();
        assertThatThrownBy(collector::collect).isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("/machineId").hasMessageContaining("/siteCode");
    }

    @Test
    void onlyLogLinesSinceTheLastBootCount() throws Exception {
        RecordingHost host = new RecordingHost();
        LogSource srsrp = new DirectoryLogSource(List.of(
                java.nio.file.Path.of(SnapshotCollectorTest.class.getResource("/logs/SRSRP.log").toURI())), 1 << 20);
        SnapshotCollector collector = collector(new InMemoryRegistry(), host).logs(srsrp)
                .clock(Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC))
                .lookBack(java.time.Duration.ofDays(30)).build();

        host.lastBoot = Instant.parse("2026-11-01T08:00:00Z");
        assertThat(collector.collect().knownErrors()).isNotEmpty();

        host.lastBoot = Instant.parse("2026-11-20T11:00:00Z"); // booted after every line of the log
        assertThat(collector.collect().knownErrors()).isEmpty();
    }

    private static SnapshotCollector.Builder collector(InMemoryRegistry registry, RecordingHost host) {
        return SnapshotCollector.builder().machine("PC-0142.corp.example", "P01").registry(registry).host(host)
                .prober(host).logs(LogSource.NONE).sequence(new InMemorySequenceStore()).clock(CLOCK).schema(SCHEMA);
    }
}
