package org.tlsrollout.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The operator token, the viewer token and the enrollment secret (api.md, "Commands"): taken from the
 * environment when set, else from {@code tokens.env} in the state folder, else generated once and kept there,
 * readable by its owner only.
 */
public record Tokens(String operator, String viewer, String enrollSecret) {
    public static final String OPERATOR = "TLSROLLOUT_OPERATOR_TOKEN";
    public static final String VIEWER = "TLSROLLOUT_VIEWER_TOKEN";
    public static final String ENROLL = "TLSROLLOUT_ENROLL_SECRET";

    public static Tokens load(Path file, Map<String, String> env) {
        Map<String, String> values = SecretsFile.load(file, env,
                "tokens of the local stack, made by ./tlsrollout up; the environment overrides them",
                List.of(OPERATOR, VIEWER, ENROLL));
        return new Tokens(values.get(OPERATOR), values.get(VIEWER), values.get(ENROLL));
    }

    /** The environment a service reads its tokens from. */
    public Map<String, String> asEnvironment() {
        return Map.of(OPERATOR, operator, VIEWER, viewer, ENROLL, enrollSecret);
    }
}
