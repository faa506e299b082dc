package org.tlsrollout.rules.messaging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tlsrollout.contracts.Action;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.Examples;
import org.tlsrollout.contracts.Json;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;
import org.tlsrollout.rules.catalog.RuleCatalog;

/** The cached results change nothing in the bytes: every evaluation is written as Json.MAPPER writes it. */
class EvaluationWriterTest {
    private static final Instant NOW = Instant.parse("2026-12-06T23:00:00Z");
    private static final RuleCatalog CATALOG = new RuleCatalog();

    private static EvaluationEvent evaluation(String example) throws Exception {
        return CATALOG.evaluate(SnapshotEvaluator.parse(Examples.json(example).getBytes(UTF_8)),
                NOW);
    }

    @Test
    void writesEveryExampleInBothFormsAsTheContractsMapperDoesTheFirstTimeAndFromTheCache() throws Exception {
        EvaluationWriter writer = new EvaluationWriter();
        for (int round = 0; round < 2; round++) {
            for (String example : Examples.ALL) {
                EvaluationEvent full = evaluation(example);
                EvaluationEvent compact = RuleCatalog.compact(full);
                assertThat(new String(writer.write(full), UTF_8))
                        .isEqualTo(Json.MAPPER.writeValueAsString(full));
                assertThat(new String(writer.write(compact), UTF_8))
                        .isEqualTo(Json.MAPPER.writeValueAsString(compact));
            }
        }
        assertThat(writer.cached()).isPositive().isLessThanOrEqualTo(3 * 17);
    }

    @Test
    void aResultThatDiffersInItsMessageOrActionsIsNotWrittenFromAnothersCachedJson() throws Exception {
        EvaluationWriter writer = new EvaluationWriter();
        EvaluationEvent win7 = RuleCatalog.compact(evaluation(Examples.WIN7_CLIENT_BEFORE));
        RuleResult failing = win7.results().stream().filter(r -> r.status() == RuleStatus.FAIL && !r.actions().isEmpty())
                .findFirst().orElseThrow();
        writer.write(win7);
        RuleResult otherMessage = new RuleResult(failing.ruleId(), failing.status(), failing.severity(), failing.phase(),
                failing.message() + " (another machine)", failing.source(), failing.actions());
        RuleResult fewerActions = new RuleResult(failing.ruleId(), failing.status(), failing.severity(), failing.phase(),
                failing.message(), failing.source(), List.<Action>of(failing.actions().get(0)));
        for (RuleResult changed : List.of(otherMessage, fewerActions)) {
            EvaluationEvent other = withResults(win7, List.of(changed));
            assertThat(new String(writer.write(other), UTF_8))
                    .isEqualTo(Json.MAPPER.writeValueAsString(other));
        }
    }

    @Test
    void theCacheStartsOverWhenFullInsteadOfGrowing() throws Exception {
        EvaluationWriter writer = new EvaluationWriter();
        EvaluationEvent win7 = RuleCatalog.compact(evaluation(Examples.WIN7_CLIENT_BEFORE));
        RuleResult first = win7.results().get(0);
        for (int i = 0; i < EvaluationWriter.MAX_RESULTS + 10; i++) {
            RuleResult distinct = new RuleResult(first.ruleId(), first.status(), first.severity(), first.phase(),
                    "machine " + i, first.source(), first.actions());
            writer.write(withResults(win7, List.of(distinct)));
        }
        assertThat(writer.cached()).isLessThanOrEqualTo(EvaluationWriter.MAX_RESULTS).isLessThan(100);
    }

    private static EvaluationEvent withResults(EvaluationEvent e, List<RuleResult> results) {
        return new EvaluationEvent(e.machineId(), e.siteCode(), e.snapshotId(), e.collectedAt(), e.catalogVersion(),
                e.machineClass(), results, e.phases(), e.receivedAt(), e.evaluatedAt(), e.osVersion(), e.roles(),
                e.lastBootAt(), e.sequence(), e.passed(), e.notApplicable());
    }
}
