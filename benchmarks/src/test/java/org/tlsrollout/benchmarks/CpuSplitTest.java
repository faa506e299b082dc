package org.tlsrollout.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** B5's reading of its CPU split: what limited a step, from the CPU seconds of its processes. */
class CpuSplitTest {

    private static CpuSplit.Step step(double wall, double simulator, double services, double postgres, double others) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        cpu.put(CpuSplit.SIMULATOR, simulator);
        cpu.put("remediation-service", services);
        cpu.put(CpuSplit.POSTGRES, postgres);
        cpu.put(CpuSplit.OTHERS, others);
        return new CpuSplit.Step(wall, cpu);
    }

    @Test
    void theSystemIsTheServicesKafkaAndPostgresqlNotTheSimulatorNorOtherProcesses() {
        assertThat(step(10, 5, 3, 2, 7).system()).isEqualTo(5.0);
    }

    @Test
    void withTheCoresBusyTheLargerOfSimulatorAndSystemIsTheLimit() {
        assertThat(CpuSplit.verdict("CLIENTS", step(10, 12, 5, 2, 1), 2))
                .contains("simulator 12 s, system 7 s").contains("cores 100% busy")
                .endsWith("the simulator, not the system, is the limit");
        assertThat(CpuSplit.verdict("CLIENTS", step(10, 4, 10, 4, 1), 2))
                .endsWith("the system, not the simulator, is the limit");
    }

    @Test
    void otherProcessesUsingTheMostMeanALoadedMachine() {
        assertThat(CpuSplit.verdict("VERIFY", step(10, 4, 3, 1, 11), 2)).endsWith("the machine's load, not this run, is"
                + " the limit");
    }

    @Test
    void withIdleCoresNeitherIsTheLimit() {
        assertThat(CpuSplit.verdict("VERIFY", step(10, 6, 5, 1, 1), 2))
                .contains("cores 65% busy").endsWith("the step waited more than it computed");
    }
}
