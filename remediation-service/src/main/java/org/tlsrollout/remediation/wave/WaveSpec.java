package org.tlsrollout.remediation.wave;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.tlsrollout.common.problem.ProblemException;
import org.tlsrollout.contracts.FieldError;
import org.tlsrollout.contracts.Phase;
import org.tlsrollout.contracts.Role;
import org.tlsrollout.remediation.machine.MachineUpdate;

/**
 * A wave request checked (api.md, POST /api/v1/waves): every invalid field named in one 400 problem, and the batch
 * arithmetic that follows from it. Plain Java, tested without a service.
 */
record WaveSpec(String name, Phase phase, List<String> sites, List<String> roles, List<String> osVersions,
        Integer batchSize, Integer percent, double maxFailureRate, boolean acknowledgeStale) {
    public static final int DEFAULT_BATCH_SIZE = 100;
    static final Pattern OS_VERSION = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,5}){0,3}$");
    static final int MAX_NAME = 200;
    static final int MAX_SITES = 1000;

    /** The request checked, or 400 problem details naming every invalid field. */
    static WaveSpec validate(WaveRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("", "the body must be a wave: {\"phase\", \"sites\", \"maxFailureRate\", ...}");
        }
        List<FieldError> errors = new ArrayList<>();
        Phase phase = null;
        if (request.phase() == null || request.phase().isBlank()) {
            errors.add(new FieldError("/phase", "phase is required: one of " + List.of(Phase.values())));
        } else {
            try {
                phase = Phase.valueOf(request.phase());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("/phase", "'" + request.phase() + "' is not one of " + List.of(Phase.values())));
            }
        }
        List<String> sites = new ArrayList<>();
        if (request.sites() == null || request.sites().isEmpty()) {
            errors.add(new FieldError("/sites", "sites is required: one or more site codes"));
        } else if (request.sites().size() > MAX_SITES) {
            errors.add(new FieldError("/sites", "at most " + MAX_SITES + " sites"));
        } else {
            for (int i = 0; i < request.sites().size(); i++) {
                String site = request.sites().get(i);
                if (site == null || !MachineUpdate.SITE_CODE.matcher(site).matches()) {
                    errors.add(new FieldError("/sites/" + i, "'" + site + "' is not a site code (3 characters, A-Z and 0-9)"));
                } else if (!sites.contains(site)) {
                    sites.add(site);
                }
            }
        }
        if (request.batchSize() != null && request.percent() != null) {
            errors.add(new FieldError("/percent", "give batchSize or percent, not both"));
        }
        if (request.batchSize() != null && request.batchSize() < 1) {
            errors.add(new FieldError("/batchSize", "batchSize must be at least 1"));
        }
        if (request.percent() != null && (request.percent() < 1 || request.percent() > 100)) {
            errors.add(new FieldError("/percent", "percent must be from 1 to 100"));
        }
        Integer batchSize = request.batchSize() == null && request.percent() == null
                ? Integer.valueOf(DEFAULT_BATCH_SIZE) : request.batchSize();
        if (request.maxFailureRate() == null) {
            errors.add(new FieldError("/maxFailureRate", "maxFailureRate is required: a share from 0 to 1"));
        } else if (request.maxFailureRate().isNaN() || request.maxFailureRate() < 0 || request.maxFailureRate() > 1) {
            errors.add(new FieldError("/maxFailureRate", "maxFailureRate must be from 0 to 1"));
        }
        List<String> roles = new ArrayList<>();
        List<String> osVersions = new ArrayList<>();
        if (request.selector() != null) {
            List<String> asked = request.selector().roles() == null ? List.of() : request.selector().roles();
            for (int i = 0; i < asked.size(); i++) {
                String role = asked.get(i);
                try {
                    roles.add(Role.valueOf(role).name());
                } catch (IllegalArgumentException | NullPointerException e) {
                    errors.add(new FieldError("/selector/roles/" + i, "'" + role + "' is not one of "
                            + List.of(Role.values())));
                }
            }
            asked = request.selector().osVersions() == null ? List.of() : request.selector().osVersions();
            for (int i = 0; i < asked.size(); i++) {
                String version = asked.get(i);
                if (version == null || !OS_VERSION.matcher(version).matches()) {
                    errors.add(new FieldError("/selector/osVersions/" + i, "'" + version
                            + "' is not an OS version such as 6.1 or 10.0"));
                } else {
                    osVersions.add(version);
                }
            }
        }
        String name = request.name();
        if (name != null && name.length() > MAX_NAME) {
            errors.add(new FieldError("/name", "at most " + MAX_NAME + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("the wave is invalid", errors);
        }
        if (name == null || name.isBlank()) {
            name = phase + " " + String.join(", ", sites);
        }
        return new WaveSpec(name.strip(), phase, List.copyOf(sites), List.copyOf(new LinkedHashSet<>(roles)),
                List.copyOf(new LinkedHashSet<>(osVersions)), batchSize, request.percent(),
                request.maxFailureRate(), Boolean.TRUE.equals(request.acknowledgeStale()));
    }

    static int batchSize(WaveSpec spec, long targeted) {
        if (spec.percent() == null) {
            return spec.batchSize();
        }
        return (int) Math.max(1, (targeted * spec.percent() + 99) / 100);
    }

    static int batches(long targeted, int batchSize) {
        return (int) ((targeted + batchSize - 1) / batchSize);
    }
}
