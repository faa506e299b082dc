package org.tlsrollout.remediation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code remediation.*}: the estate state that remediation-service keeps. */
@ConfigMapping(prefix = "remediation")
public interface RemediationConfig {

    /**
     * A machine whose newest snapshot was collected longer ago than this is {@code STALE} in every phase that
     * applies to it (rules.md, "State of one machine in one phase").
     */
    @WithDefault("P14D")
    Duration stalenessWindow();

    /** How often the {@code tlsrollout_machines} gauge is recomputed from the database. */
    @WithDefault("15s")
    Duration metricsRefresh();

    Ingest ingest();

    /** How evaluations are written to the database. */
    interface Ingest {
        /** First pause after a database failure before the batch is written again. */
        @WithDefault("200ms")
        Duration retryInitialBackoff();

        /** Longest pause between two attempts; the pause doubles up to it. Attempts never stop. */
        @WithDefault("30s")
        Duration retryMaxBackoff();
    }
}
