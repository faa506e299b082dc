package org.tlsrollout.remediation.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.tlsrollout.remediation.ingest.EvaluationIngest;

/** Not ready while evaluations cannot be written and wait for the database (they are retried, not lost). */
@Readiness
@ApplicationScoped
public class EvaluationIngestCheck implements HealthCheck {
    private final EvaluationIngest ingest;

    public EvaluationIngestCheck(EvaluationIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("evaluation-ingest");
        return ingest.failure()
                .map(f -> response.down()
                        .withData("failingSince", f.since().toString())
                        .withData("attempts", f.attempts())
                        .withData("reason", f.reason()))
                .orElseGet(response::up)
                .build();
    }
}
