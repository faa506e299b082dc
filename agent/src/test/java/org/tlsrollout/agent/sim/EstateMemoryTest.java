package org.tlsrollout.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** 100,000 simulated machines fit in a small heap: the simulator's state is compact. */
class EstateMemoryTest {
    static final int MACHINES = 100_000;

    @Test
    void aHundredThousandMachinesTakeAFewHundredBytesEach() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = settledHeap(memory);
        SimulatedEstate estate = new EstateGenerator(1, MACHINES, 200)
                .generate(Clock.fixed(Instant.parse("2026-11-19T09:30:00Z"), ZoneOffset.UTC));
        long after = settledHeap(memory);
        long perMachine = (after - before) / MACHINES;
        System.out.printf("simulated estate: %d machines, %d sites, %d bytes of heap per machine%n", estate.size(),
                estate.sites().size(), perMachine);
        assertThat(estate.size()).isEqualTo(MACHINES);
        assertThat(perMachine).isBetween(50L, 1_024L);
    }

    private static long settledHeap(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
