package org.tlsrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.PhaseState;

class RolloutApiTest {
    private static final String PROGRESS = """
            {"sites": [
              {"siteCode": "P01", "machines": 10, "neverReported": 2,
               "phases": {"CLIENTS": {"COMPLIANT": 3, "NONCOMPLIANT": 4, "UNKNOWN": 3},
                          "SITE_SYSTEMS": {"NOT_APPLICABLE": 10}}},
              {"siteCode": "P02", "machines": 5, "neverReported": 0,
               "phases": {"CLIENTS": {"COMPLIANT": 1, "NONCOMPLIANT": 4, "UNKNOWN": 0}}},
              {"siteCode": "OTHER", "machines": 100, "neverReported": 7,
               "phases": {"CLIENTS": {"NONCOMPLIANT": 100}}}
            ]}""";

    private static RolloutApi.Progress progress() throws Exception {
        return new RolloutApi.Progress(Json.MAPPER.readTree(PROGRESS), Set.of("P01", "P02"));
    }

    @Test
    void progressCountsOnlyTheChosenSites() throws Exception {
        RolloutApi.Progress p = progress();

        assertThat(p.machines()).isEqualTo(15);
        assertThat(p.neverReported()).isEqualTo(2);
        assertThat(p.siteCodes()).containsExactly("P01", "P02");
        assertThat(p.count("P01", Phase.CLIENTS, PhaseState.NONCOMPLIANT)).isEqualTo(4);
        assertThat(p.count("OTHER", Phase.CLIENTS, PhaseState.NONCOMPLIANT)).isZero();
    }

    @Test
    void aPhasesCountsAreSummedOverTheSitesWithNeverReportedMachinesLeftOutOfUnknownInClients() throws Exception {
        var clients = progress().counts(Phase.CLIENTS);
        var siteSystems = progress().counts(Phase.SITE_SYSTEMS);

        assertThat(clients.path("COMPLIANT").asLong()).isEqualTo(4);
        assertThat(clients.path("NONCOMPLIANT").asLong()).isEqualTo(8);
        assertThat(clients.path("UNKNOWN").asLong()).as("3 UNKNOWN less P01's 2 never reported").isEqualTo(1);
        assertThat(siteSystems.path("NOT_APPLICABLE").asLong()).isEqualTo(10);
        assertThat(siteSystems.has("UNKNOWN")).isFalse();
    }
}
