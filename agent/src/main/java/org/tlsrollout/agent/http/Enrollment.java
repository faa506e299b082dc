package org.tlsrollout.agent.http;

import java.time.Instant;

/** The answer to {@code POST /api/v1/agents/enroll}: the agent token (a JWT whose subject is the machine id). */
public record Enrollment(String agentToken, Instant expiresAt) {
}
