package org.tlsrollout.rules.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
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
    private static final RuleStatus[] STATUSES = RuleStatus.values();
    /*
     * The counts per record live in adders of this bean's, which the registry reads when scraped (function counters,
     * exported as the same counters): a Counter of the registry Quarkus gives is a composite, and its increment walks
     * the composite's children, an iterator allocated each time, 18 times a record.
     */
    private final LongAdder evaluations = new LongAdder();
    /** By rule ordinal, then status ordinal. */
    private final LongAdder[][] results = new LongAdder[RuleId.values().length][STATUSES.length];
    private final Timer lag;
    private final Counter deadLettered;

    public EvaluationMetrics(MeterRegistry registry) {
        FunctionCounter.builder("tlsrollout.evaluations", evaluations, LongAdder::doubleValue)
                .description("Snapshots evaluated and published").register(registry);
        for (RuleId rule : RuleId.values()) {
            for (RuleStatus status : STATUSES) {
                LongAdder count = new LongAdder();
                results[rule.ordinal()][status.ordinal()] = count;
                FunctionCounter.builder("tlsrollout.rule.results", count, LongAdder::doubleValue)
                        .description("Rule results, by rule and status")
                        .tag("rule", rule.name()).tag("status", status.name()).register(registry);
            }
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

    /**
     * What {@link #published} counts of an evaluation, whole or compact: each rule's status ordinal, by rule ordinal.
     * Small, so that what waits for Kafka's acknowledgement does not hold the whole evaluation.
     */
    public static byte[] statuses(EvaluationEvent evaluation) {
        byte[] statuses = new byte[RuleId.values().length];
        for (RuleResult r : evaluation.results()) {
            statuses[r.ruleId().ordinal()] = (byte) r.status().ordinal();
        }
        if (evaluation.isCompact()) {
            for (RuleId rule : evaluation.passed()) {
                statuses[rule.ordinal()] = (byte) RuleStatus.PASS.ordinal();
            }
            for (RuleId rule : evaluation.notApplicable()) {
                statuses[rule.ordinal()] = (byte) RuleStatus.NOT_APPLICABLE.ordinal();
            }
        }
        return statuses;
    }

    /** Counts one evaluation that Kafka acknowledged, given by its {@link #statuses}, and its lag. */
    public void published(byte[] statuses, Duration sinceReceived) {
        evaluations.increment();
        for (int rule = 0; rule < statuses.length; rule++) {
            results[rule][statuses[rule]].increment();
        }
        if (!sinceReceived.isNegative()) {
            lag.record(sinceReceived);
        }
    }
}
