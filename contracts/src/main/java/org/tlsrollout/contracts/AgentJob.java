package org.tlsrollout.contracts;

/** One item of {@code GET /api/v1/agents/{machineId}/jobs}: a job not yet reported, as its signed JWS. */
public record AgentJob(String jobId, String jws) {
}
