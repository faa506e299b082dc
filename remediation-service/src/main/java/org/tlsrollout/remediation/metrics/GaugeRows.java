package org.tlsrollout.remediation.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gauge with one series per set of tags, replaced as a whole on each refresh. A row that stays keeps its meter and
 * only its value changes: {@code MultiGauge.register(rows, true)} would remove and add every row again, and a scrape
 * between the two would miss the series (the two-instance chaos run R10 saw one missing). Rows no longer given are
 * removed.
 */
final class GaugeRows {
    private final MultiGauge gauge;
    /** The value of each published row, as the bits of a double. */
    private Map<Tags, AtomicLong> values = Map.of();

    GaugeRows(MeterRegistry registry, String name, String description) {
        this.gauge = MultiGauge.builder(name).description(description).register(registry);
    }

    /** Publishes exactly {@code next}: new rows appear, kept rows take their new value, missing rows go. */
    synchronized void set(Map<Tags, ? extends Number> next) {
        Map<Tags, AtomicLong> kept = new HashMap<>();
        List<MultiGauge.Row<?>> rows = new ArrayList<>(next.size());
        next.forEach((tags, value) -> {
            AtomicLong bits = values.getOrDefault(tags, new AtomicLong());
            bits.set(Double.doubleToRawLongBits(value.doubleValue()));
            kept.put(tags, bits);
            rows.add(MultiGauge.Row.of(tags, bits, b -> Double.longBitsToDouble(b.get())));
        });
        values = kept;
        // false: a row registered before keeps its meter, which reads the same AtomicLong
        gauge.register(rows, false);
    }
}
