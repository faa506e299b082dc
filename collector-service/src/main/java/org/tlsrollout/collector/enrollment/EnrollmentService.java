package org.tlsrollout.collector.enrollment;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.tlsrollout.collector.config.CollectorConfig;
import org.tlsrollout.common.problem.Problem;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.contracts.FieldError;

/** Checks an enrollment against the site's secret and issues the agent token. */
@ApplicationScoped
public class EnrollmentService {
    /** The same patterns as snapshot.schema.json, so an enrolled machine can report. */
    private static final Pattern MACHINE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$");
    private static final Pattern SITE_CODE = Pattern.compile("^[A-Z0-9]{3}$");

    private final CollectorConfig config;
    private final AgentTokenService tokens;

    public EnrollmentService(CollectorConfig config, AgentTokenService tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    public record Enrollment(String machineId, String siteCode, String enrollSecret) {
    }

    public AgentTokenService.IssuedToken enroll(Enrollment request) {
        if (request == null) {
            throw ProblemException.invalidField("", "a body {machineId, siteCode, enrollSecret} is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (request.machineId() == null || !MACHINE_ID.matcher(request.machineId()).matches()) {
            errors.add(new FieldError("/machineId", "must match " + MACHINE_ID.pattern()));
        }
        if (request.siteCode() == null || !SITE_CODE.matcher(request.siteCode()).matches()) {
            errors.add(new FieldError("/siteCode", "must be a three-character site code matching " + SITE_CODE.pattern()));
        }
        if (request.enrollSecret() == null || request.enrollSecret().isEmpty()) {
            errors.add(new FieldError("/enrollSecret", "is required"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the enrollment is invalid", errors);
        }
        String expected = config.siteEnrollSecrets().getOrDefault(request.siteCode(), config.enrollSecret().orElse(""));
        if (expected.isEmpty() || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                request.enrollSecret().getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
                    "wrong enrollment secret for site " + request.siteCode()));
        }
        return tokens.issue(request.machineId(), request.siteCode());
    }
}
