package org.tlsrollout.agent;

/**
 * What one agent cycle did.
 *
 * @param enrollments      enrollments made (the first, and after each 401)
 * @param snapshotsSent    snapshots the collector accepted (202)
 * @param snapshotDeferred a snapshot is still pending: the collector kept answering 503; it is sent first next cycle
 * @param succeeded        jobs applied and reported SUCCEEDED
 * @param failed           jobs reported FAILED
 * @param rejected         jobs reported REJECTED
 * @param resent           results kept from an earlier cycle and delivered now
 * @param restarts         restarts made after a RESTART action
 * @param retries          calls repeated after a 503/429
 */
public record CycleReport(int enrollments, int snapshotsSent, boolean snapshotDeferred, int succeeded, int failed,
        int rejected, int resent, int restarts, int retries) {
}
