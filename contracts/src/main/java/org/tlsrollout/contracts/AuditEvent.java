package org.tlsrollout.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * One operator action, as the service that handled it publishes it to {@link Topics#AUDIT} (keyed by {@link #target},
 * binary CloudEvents of type {@link Topics#AUDIT_EVENT_TYPE} whose {@code ce_id} is {@link #eventId}) and as
 * {@code GET /api/v1/audit} lists it. Delivery is at least once: a consumer deduplicates by {@code eventId}.
 *
 * @param eventId unique per action; the CloudEvents id
 * @param at when the service decided the outcome
 * @param actor who: the principal name (an OpenID Connect user's {@code preferred_username}, else its subject; the
 *              role name for a shared token)
 * @param service the service that handled it, e.g. {@code remediation-service}
 * @param action what was asked
 * @param target what it was asked of: {@code wave/<id>}, {@code machine/<id>}, {@code agent/<id>}, {@code inventory}
 * @param outcome whether it was done
 * @param status the HTTP status of the answer
 * @param detail a short human description: the wave's name and phase, a refusal's problem detail, an import's counts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(
        String eventId,
        Instant at,
        String actor,
        String service,
        Action action,
        String target,
        Outcome outcome,
        int status,
        String detail) {

    /** The operator actions that are audited (issue 18). */
    public enum Action {
        WAVE_CREATE,
        WAVE_PAUSE,
        WAVE_RESUME,
        WAVE_CANCEL,
        WAVE_ROLLBACK,
        MACHINE_RETIRE,
        MACHINE_UNRETIRE,
        INVENTORY_IMPORT,
        AGENT_IDENTITY_RESET
    }

    /** DONE: the action took effect; REFUSED: it was answered with a 4xx and changed nothing. */
    public enum Outcome {
        DONE,
        REFUSED
    }

    public AuditEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
    }
}
