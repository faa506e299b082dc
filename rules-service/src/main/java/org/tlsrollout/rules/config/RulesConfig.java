package org.tlsrollout.rules.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;
import java.util.Set;

/** {@code rules.*}: the estate's choices that rules.md leaves open. */
@ConfigMapping(prefix = "rules")
public interface RulesConfig {

    /** KBs the estate treats as superseding KB3140245 (rules.md, WINHTTP_KB3140245). */
    @WithName("kb3140245-superseded-by")
    Optional<Set<String>> kb3140245SupersededBy();

    /**
     * KBs the estate configures as later rollups (rules.md, WSUS_TLS12_UPDATE), accepted instead of KB4022721 on
     * Server 2012 and KB4022720 on 2012 R2; remediation-service's {@code remediation.later-rollups} must list the same.
     */
    @WithName("later-rollups")
    Optional<Set<String>> laterRollups();

    /** rules.md: {@code rules.disable-legacy.include-clients=true} puts clients in DISABLE_LEGACY too. */
    @WithName("disable-legacy.include-clients")
    @WithDefault("false")
    boolean disableLegacyIncludeClients();

    /**
     * Publish evaluations in api.md's compact form ({@code results} only for FAIL and UNKNOWN rules, the others named
     * in {@code passed} and {@code notApplicable}); false: every rule's result in {@code results}.
     */
    @WithName("compact-evaluations")
    @WithDefault("true")
    boolean compactEvaluations();

    /**
     * Threads ("lanes") that evaluate the snapshots, each machine's on one of them (so a machine's snapshots
     * stay in order); when unset, the number of processors plus one, so that a lane that waits leaves no processor
     * idle (docs/benchmarks.md, B1, stop 27).
     */
    @WithName("evaluation-threads")
    Optional<Integer> evaluationThreads();
}
