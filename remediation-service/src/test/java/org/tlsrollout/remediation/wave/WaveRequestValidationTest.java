package org.tlsrollout.remediation.wave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.contracts.Phase;

/** Wave-request validation and batch sizing: plain logic, no application, broker or database. */
class WaveRequestValidationTest {

    private static WaveRequest request(String phase, List<String> sites, Integer batchSize, Integer percent,
            Double maxFailureRate, WaveRequest.Selector selector) {
        return new WaveRequest(null, phase, sites, selector, batchSize, percent, maxFailureRate, null, null);
    }

    private static List<String> fields(WaveRequest request) {
        ProblemException e = catchThrowableOfType(ProblemException.class, () -> WaveSpec.validate(request));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.problem().status()).isEqualTo(400);
        return e.problem().errors().stream().map(FieldError::field).toList();
    }

    @Test
    void everyInvalidFieldIsNamed() {
        assertThat(fields(request("EVERYTHING", List.of("P01", "toolong"), 0, 120, 1.5,
                new WaveRequest.Selector(List.of("CLIENT", "JANITOR"), List.of("6.1", "Windows 7")))))
                .containsExactlyInAnyOrder("/phase", "/sites/1", "/percent", "/batchSize", "/percent",
                        "/maxFailureRate", "/selector/roles/1", "/selector/osVersions/1");
        assertThat(fields(request("CLIENTS", List.of(), null, null, null, null)))
                .containsExactlyInAnyOrder("/sites", "/maxFailureRate");
        assertThat(fields(request("CLIENTS", List.of("P01"), null, null, Double.NaN, null)))
                .containsExactly("/maxFailureRate");
        assertThat(fields(null)).containsExactly("");
    }

    @Test
    void aValidRequestIsNormalised() {
        WaveSpec spec = WaveSpec.validate(request("CLIENTS", List.of("P01", "P02", "P01"), null, null, 0.05,
                new WaveRequest.Selector(List.of("CLIENT", "CLIENT"), List.of("6.1"))));
        assertThat(spec.phase()).isEqualTo(Phase.CLIENTS);
        assertThat(spec.sites()).containsExactly("P01", "P02");
        assertThat(spec.roles()).containsExactly("CLIENT");
        assertThat(spec.name()).isEqualTo("CLIENTS P01, P02");
        assertThat(spec.batchSize()).isEqualTo(WaveSpec.DEFAULT_BATCH_SIZE);
        assertThat(spec.percent()).isNull();
    }

    @Test
    void batchesAreSizedByCountOrPercentRoundedUp() {
        WaveSpec byPercent = WaveSpec.validate(request("CLIENTS", List.of("P01"), null, 10, 0.05, null));
        assertThat(WaveSpec.batchSize(byPercent, 95)).isEqualTo(10);
        assertThat(WaveSpec.batchSize(byPercent, 3)).isEqualTo(1);
        assertThat(WaveSpec.batches(95, 10)).isEqualTo(10);
        WaveSpec byCount = WaveSpec.validate(request("CLIENTS", List.of("P01"), 50, null, 0.05, null));
        assertThat(WaveSpec.batchSize(byCount, 101)).isEqualTo(50);
        assertThat(WaveSpec.batches(101, 50)).isEqualTo(3);
        assertThat(WaveSpec.batches(0, 50)).isZero();
    }
}
