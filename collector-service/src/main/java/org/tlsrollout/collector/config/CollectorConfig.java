package org.tlsrollout.collector.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code collector.*}: enrollment, agent tokens, snapshot intake, the audit trail. */
@ConfigMapping(prefix = "collector")
public interface CollectorConfig {

    /** The enrollment secret of every site (env TLSROLLOUT_ENROLL_SECRET). Unset: only per-site secrets work. */
    Optional<String> enrollSecret();

    /** Per-site enrollment secrets by site code; a site listed here uses its own instead of the shared one. */
    Map<String, String> siteEnrollSecrets();

    AgentToken agentToken();

    Intake intake();

    Enrollment enrollment();

    Audit audit();

    interface Audit {
        /**
         * How long an audited action waits for Kafka's acknowledgement of its record before it is undone (503).
         * Longer than the audit producer's max.block.ms plus delivery.timeout.ms, so that the producer has given
         * its own verdict first (docs/decisions.md, "The audit trail of identity resets").
         */
        @WithDefault("35s")
        Duration publishTimeout();
    }

    interface Enrollment {
        /** Largest enrollment body accepted, in bytes (api.md: 413 over 16 KiB). */
        @WithDefault("16384")
        int maxBodyBytes();
    }

    interface AgentToken {
        /** PKCS#8 PEM of the EC P-256 key that signs agent tokens; made on first start when missing. */
        Path keyFile();

        /** How long an agent token is valid; at most 24 hours (api.md), a longer setting refuses to start. */
        @WithDefault("PT24H")
        Duration ttl();
    }

    interface Intake {
        /** Largest snapshot accepted, in bytes (api.md: 413 over 256 KiB). */
        @WithDefault("262144")
        int maxSnapshotBytes();

        /** How long a request waits for Kafka's acknowledgement before answering 503. */
        @WithDefault("30s")
        Duration publishTimeout();

        /** Seconds a client is told to wait (Retry-After) when Kafka cannot take a snapshot. */
        @WithDefault("5")
        int retryAfterSeconds();

        /** Import lines in flight to Kafka at once. */
        @WithDefault("512")
        int importWindow();
    }
}
