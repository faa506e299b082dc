package org.tlsrollout.collector.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.tlsrollout.collector.config.CollectorConfig;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.contracts.AuditEvent;

/**
 * Records the collector's operator actions on the audit trail and waits for Kafka's acknowledgement
 * (docs/decisions.md, "The audit trail of identity resets").
 */
@ApplicationScoped
public class AuditTrail {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    /** Longest target written: an invalid path parameter is cut, it is only there to show what was asked. */
    static final int MAX_TARGET = 160;

    private final AuditPublisher publisher;
    private final CollectorConfig config;
    private final Clock clock = Clock.systemUTC();

    public AuditTrail(AuditPublisher publisher, CollectorConfig config) {
        this.publisher = publisher;
        this.config = config;
    }

    /**
     * Records an action that took effect; returns once Kafka acknowledged it, else throws a 503 problem, so that
     * the caller undoes the action: no action is done without its record.
     */
    public void done(AuditEvent.Action action, String target, String actor, int status, String detail) {
        AuditEvent event = event(action, target, actor, AuditEvent.Outcome.DONE, status, detail);
        try {
            publisher.publish(event).await().atMost(config.audit().publishTimeout());
        } catch (RuntimeException e) {
            LOG.warnf("Kafka did not acknowledge the audit record of %s %s by %s: %s", action, event.target(), actor,
                    e.toString());
            throw ProblemException.unavailable("Kafka cannot take the audit record now; nothing was changed",
                    config.intake().retryAfterSeconds());
        }
    }

    /**
     * Records a refusal (which changed nothing). Kafka not taking it does not change the answer: the refusal is
     * logged instead.
     */
    public void refused(AuditEvent.Action action, String target, String actor, ProblemException refusal) {
        AuditEvent event = event(action, target, actor, AuditEvent.Outcome.REFUSED, refusal.problem().status(),
                refusal.problem().detail());
        try {
            publisher.publish(event).await().atMost(config.audit().publishTimeout());
        } catch (RuntimeException e) {
            LOG.warnf("Kafka did not acknowledge the audit record of a refused %s %s by %s (%d %s): %s", action,
                    event.target(), actor, event.status(), event.detail(), e.toString());
        }
    }

    private AuditEvent event(AuditEvent.Action action, String target, String actor, AuditEvent.Outcome outcome,
            int status, String detail) {
        String cut = target.length() > MAX_TARGET ? target.substring(0, MAX_TARGET) + "…" : target;
        return new AuditEvent(UUID.randomUUID().toString(), clock.instant(), actor, AuditPublisher.SERVICE, action,
                cut, outcome, status, detail);
    }
}
