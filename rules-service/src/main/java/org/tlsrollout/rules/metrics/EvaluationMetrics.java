package org.tlsrollout.rules.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.tlsrollout.contracts.EvaluationEvent;
import org.tlsrollout.contracts.RuleId;
import org.tlsrollout.contracts.RuleResult;
import org.tlsrollout.contracts.RuleStatus;

/**
 * The meters of api.md that rules-service exports: {@code tlsrollout_evaluations_total},
 * {@code tlsrollout_rule_results_total{rule,status}} and the histogram {@code tlsrollout_evaluation_lag_seconds};
 * and {@code tlsrollout_dead_letters_total{topic}}, which the dashboard shows.
 * Every rule/status pair is registered up front, so a dashboard sees zeros, not gaps.
 */
@ApplicationScoped
public class EvaluationMetrics {
    private final Counter evaluations;
    private final Map<RuleId, Map<RuleStatus, Counter>> results = new EnumMap<>(RuleId.class);
    private final Timer lag;
    private final Counter deadLettered;

    public EvaluationMetrics(MeterRegistry registry) {
        evaluations = Counter.builder("tlsrollout.evaluations")
                .description("Snapshots evaluated and published").register(registry);
        for (RuleId rule : RuleId.values()) {
            Map<RuleStatus, Counter> byStatus = new EnumMap<>(RuleStatus.class);
            for (RuleStatus status : RuleStatus.values()) {
                byStatus.put(status, Counter.builder("tlsrollout.rule.results")
                        .description("Rule results, by rule and status")
                        .tag("rule", rule.name()).tag("status", status.name()).register(registry));
            }
            results.put(rule, byStatus);
        }
        lag = Timer.builder("tlsrollout.evaluation.lag")
                .description("From the snapshot's receipt at the collector to its evaluation being published")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        deadLettered = Counter.builder("tlsrollout.dead.letters")
                .description("Records sent to a dead-letter topic, by that topic")
                .tag("topic", org.tlsrollout.contracts.Topics.dlq(org.tlsrollout.contracts.Topics.SNAPSHOTS))
                .register(registry);
    }

    /** Counts a snapshot record that could not be evaluated and goes to the dead-letter topic. */
    public void deadLettered() {
        deadLettered.increment();
    }

    /** Counts one evaluation that Kafka acknowledged, and its lag. */
    public void published(EvaluationEvent evaluation, Duration sinceReceived) {
        evaluations.increment();
        for (RuleResult r : evaluation.results()) {
            results.get(r.ruleId()).get(r.status()).increment();
        }
        if (!sinceReceived.isNegative()) {
            lag.record(sinceReceived);
        }
    }
}
