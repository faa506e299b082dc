package org.tlsrollout.contracts;

/** Kafka topics of api.md; every consumed topic has a dead-letter topic named {@code <topic>.dlq}. */
public final class Topics {
    public static final String SNAPSHOTS = "tlsrollout.snapshots.v1";
    public static final String EVALUATIONS = "tlsrollout.evaluations.v1";
    public static final String JOB_EVENTS = "tlsrollout.job-events.v1";
    /** Operator actions ({@link AuditEvent}): an addition to api.md (docs/contract/additions.md). */
    public static final String AUDIT = "tlsrollout.audit.v1";

    /** Every topic the system uses, dead-letter topics included, for whoever creates them. */
    public static final java.util.List<String> ALL = java.util.List.of(
            SNAPSHOTS, dlq(SNAPSHOTS), EVALUATIONS, dlq(EVALUATIONS), JOB_EVENTS, dlq(JOB_EVENTS),
            AUDIT, dlq(AUDIT));

    /** CloudEvents {@code ce_type} of each record kind. */
    public static final String SNAPSHOT_EVENT_TYPE = "org.tlsrollout.snapshot.v1";
    public static final String EVALUATION_EVENT_TYPE = "org.tlsrollout.evaluation.v1";
    public static final String JOB_EVENT_TYPE = "org.tlsrollout.job-event.v1";
    public static final String AUDIT_EVENT_TYPE = "org.tlsrollout.audit.v1";

    private Topics() {
    }

    public static String dlq(String topic) {
        return topic + ".dlq";
    }
}
