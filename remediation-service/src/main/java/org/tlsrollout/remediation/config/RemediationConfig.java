package org.tlsrollout.remediation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code remediation.*}: the estate state that remediation-service keeps, its waves, jobs and signing keys. */
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

    /**
     * KBs the estate configures as later rollups (rules.md: INSTALL_UPDATE may name them besides the catalog's
     * updates), as the agents' allowlist has them; none by default.
     */
    Optional<List<String>> laterRollups();

    Ingest ingest();

    Waves waves();

    Jobs jobs();

    Signing signing();

    Outbox outbox();

    /** How evaluations are written to the database. */
    interface Ingest {
        /** First pause after a database failure before the batch is written again. */
        @WithDefault("200ms")
        Duration retryInitialBackoff();

        /** Longest pause between two attempts; the pause doubles up to it. Attempts never stop. */
        @WithDefault("30s")
        Duration retryMaxBackoff();
    }

    /** How waves advance. */
    interface Waves {
        /**
         * How often the wave engine looks at the running waves (issues the jobs of their current batch, expires jobs,
         * releases the next batch or halts). It also runs right after a wave is created or resumed.
         */
        @WithDefault("1s")
        Duration tick();

        /** Jobs issued per transaction: one chunk of a batch is signed and written at once. */
        @WithDefault("1000")
        int chunkSize();

        /**
         * The transaction timeout of creating a wave (its targets are selected and inserted in one statement), of its
         * dry run and of a rollback: a wave over a million machines outlasts the default 60 s (docs/decisions.md,
         * "remediation-service's hot paths").
         */
        @WithDefault("10m")
        Duration createTimeout();
    }

    /** Fix jobs. */
    interface Jobs {
        /** A job's validity: {@code exp} = issue time + ttl. An ISSUED job not reported by then is EXPIRED. */
        @WithDefault("PT2H")
        Duration ttl();

        /** How far before the issue time {@code nbf} lies, for agents whose clocks are behind. */
        @WithDefault("60s")
        Duration notBeforeSkew();

        /**
         * Polls answered from the job marks (JobMarks): a machine with no job issued since its last empty poll gets no
         * job without a read of PostgreSQL. False: every poll reads PostgreSQL.
         */
        @WithDefault("true")
        boolean marks();
    }

    /** The keys that sign fix jobs. */
    interface Signing {
        /**
         * The active key, EC P-256 as PKCS#8 PEM; new jobs are signed with it. Made once when the file is missing
         * (for the local run), then kept.
         */
        Path keyFile();

        /**
         * Keys rotated out (PKCS#8 PEM files): they sign nothing any more but stay in {@code /.well-known/jwks.json}
         * so that agents keep verifying the jobs they signed.
         */
        Optional<List<Path>> previousKeyFiles();
    }

    /** The relay of the outbox to Kafka. */
    interface Outbox {
        /** How often the relay looks for events to publish. */
        @WithDefault("500ms")
        Duration interval();

        /**
         * Events published per transaction at most (whole outbox rows: one holding more, such as a wave's chunk of
         * jobs, is published alone).
         */
        @WithDefault("5000")
        int batchSize();

        /** How long the relay waits for Kafka to acknowledge a batch before it tries again later. */
        @WithDefault("30s")
        Duration publishTimeout();
    }
}
