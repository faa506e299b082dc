package org.tlsrollout.remediation;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;

/**
 * Ids of the rows written by the thousand: job ids (the JWS {@code jti}) and job event ids (the CloudEvents
 * {@code ce_id}). They are UUIDs of version 7 (RFC 9562): a millisecond timestamp, then random bits. Still unique
 * and unguessable, and, unlike random (version 4) ones, they sort by creation time, so a wave's million jobs extend the
 * right edge of {@code job_pk} instead of dirtying (and writing to the WAL in full after each checkpoint) a random page
 * of that index per row.
 */
public final class Ids {
    private static final TimeBasedEpochRandomGenerator GENERATOR = Generators.timeBasedEpochRandomGenerator();

    private Ids() {
    }

    /** A new time-ordered UUID, as text. */
    public static String timeOrdered() {
        return GENERATOR.generate().toString();
    }
}
