package org.tlsrollout.remediation.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The estate gauges' rows across refreshes: a kept row is the same meter with a new value, so no scrape misses it. */
class GaugeRowsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final GaugeRows rows = new GaugeRows(registry, "tlsrollout.machines", "test");

    private Gauge gauge(String site) {
        return registry.find("tlsrollout.machines").tags("site", site).gauge();
    }

    @Test
    void aKeptRowKeepsItsMeterAndTakesTheNewValue() {
        rows.set(Map.of(Tags.of("site", "P01"), 3L, Tags.of("site", "P02"), 5L));
        Gauge before = gauge("P01");

        rows.set(Map.of(Tags.of("site", "P01"), 7L, Tags.of("site", "P02"), 5L));

        assertThat(gauge("P01")).isSameAs(before);
        assertThat(gauge("P01").value()).isEqualTo(7.0);
        assertThat(gauge("P02").value()).isEqualTo(5.0);
    }

    @Test
    void aRowNoLongerGivenGoesAndANewOneComes() {
        rows.set(Map.of(Tags.of("site", "P01"), 3L));

        rows.set(Map.of(Tags.of("site", "P02"), 1.5e9));

        assertThat(gauge("P01")).isNull();
        assertThat(gauge("P02").value()).isEqualTo(1.5e9);
        rows.set(Map.of());
        assertThat(registry.find("tlsrollout.machines").gauges()).isEmpty();
    }
}
