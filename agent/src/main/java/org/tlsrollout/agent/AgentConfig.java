package org.tlsrollout.agent;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.tlsrollout.contracts.JobClaims;

/**
 * What every agent of one estate shares: where the services are, the site's enrollment secret, the job-signing
 * keys it pins, and the limits it keeps. The machine's own identity and state are given to each {@link Agent}.
 *
 * @param collectorUrl        base URL of collector-service ({@code POST /api/v1/agents/enroll}, {@code /api/v1/snapshots})
 * @param remediationUrl      base URL of remediation-service (jobs and results)
 * @param enrollSecret        the site's enrollment secret
 * @param pinnedJwks          the JWKS (RFC 7517) of the job-signing keys the agent trusts, as configured
 * @param jwksRefreshUrl      where to refresh the job-signing keys when a job names an unknown kid; null: never
 * @param trustJwksRefreshOver {@code https} (default): refresh only over https; {@code http}: also over plain http,
 *                            for a local stack
 * @param clockSkew           tolerance on {@code nbf} and {@code exp}
 * @param expectedIssuer      the {@code iss} of every job; null accepts any
 * @param maxAttempts         calls made at most when the service answers 503/429 with {@code Retry-After}
 * @param defaultRetryAfter   the wait after a 503 without {@code Retry-After}
 * @param maxRetryAfter       the longest wait honoured; a longer {@code Retry-After} is cut to this
 * @param requestTimeout      per HTTP request
 * @param knownErrorLookBack  how far back the logs are searched for known errors
 * @param agentVersion        reported in every snapshot
 * @param caFile              the CA (PEM) the services' certificates must be issued by, trusted alone for every
 *                            https call (enroll, snapshots, jobs, key refresh); null: the JVM's default trust store
 * @param laterRollups        the KBs the estate configures as later rollups (rules.md): INSTALL_UPDATE may name them
 *                            besides the catalog's updates; upper case
 * @param reportInterval      how old the last accepted snapshot may grow before a cycle reports a new one although
 *                            the machine did not change (default 1 hour; zero: every cycle). A cycle always reports
 *                            when no snapshot was accepted yet in this process (first cycle, after a restart), when
 *                            one is still pending, and after a job was applied or failed (it changed the machine)
 */
public record AgentConfig(
        URI collectorUrl,
        URI remediationUrl,
        String enrollSecret,
        String pinnedJwks,
        URI jwksRefreshUrl,
        String trustJwksRefreshOver,
        Duration clockSkew,
        String expectedIssuer,
        int maxAttempts,
        Duration defaultRetryAfter,
        Duration maxRetryAfter,
        Duration requestTimeout,
        Duration knownErrorLookBack,
        String agentVersion,
        Path caFile,
        Duration reportInterval,
        Set<String> laterRollups) {

    public static final String VERSION = "0.1.0";

    public AgentConfig {
        Objects.requireNonNull(collectorUrl, "collectorUrl");
        Objects.requireNonNull(remediationUrl, "remediationUrl");
        Objects.requireNonNull(enrollSecret, "enrollSecret");
        Objects.requireNonNull(pinnedJwks, "pinnedJwks");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        requireLoopbackIfHttp("collectorUrl", collectorUrl);
        requireLoopbackIfHttp("remediationUrl", remediationUrl);
        if (jwksRefreshUrl != null) {
            requireLoopbackIfHttp("jwksRefreshUrl", jwksRefreshUrl);
        }
        laterRollups = laterRollups == null ? Set.of() : laterRollups.stream().map(kb -> kb.strip().toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        Objects.requireNonNull(reportInterval, "reportInterval");
        if (reportInterval.isNegative()) {
            throw new IllegalArgumentException("reportInterval must not be negative");
        }
    }

    /**
     * api.md, Transport: an agent refuses an {@code http://} URL whose host is not a loopback address (the services
     * serve plain HTTP only there). The host must be literally {@code localhost} or a loopback IP: a name is not
     * resolved, since a DNS answer must not decide whether the agent talks in clear.
     *
     * @throws IllegalArgumentException naming the setting, for any other scheme than http and https too
     */
    public static void requireLoopbackIfHttp(String setting, URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            if (url.getHost() == null) {
                throw new IllegalArgumentException(setting + " " + url + " has no host");
            }
            return;
        }
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException(setting + " " + url + ": only https (or http to a loopback address)");
        }
        if (!isLoopback(url.getHost())) {
            throw new IllegalArgumentException(setting + " " + url + ": plain http is allowed only to a loopback address"
                    + " (127.0.0.0/8, ::1, localhost); use https");
        }
    }

    /** True for {@code localhost} and literal loopback addresses; a name is never resolved. */
    public static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (h.matches("\\d{1,3}(\\.\\d{1,3}){3}") || h.contains(":")) {
            try {
                // A literal address: parsed without any lookup.
                return InetAddress.getByName(h).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a configuration with the defaults: https-only refresh, 60 s skew, 5 attempts, 24 h look-back, a
     * snapshot at least every hour.
     */
    public static final class Builder {
        private URI collectorUrl;
        private URI remediationUrl;
        private String enrollSecret;
        private String pinnedJwks;
        private URI jwksRefreshUrl;
        private String trustJwksRefreshOver = "https";
        private Duration clockSkew = Duration.ofSeconds(60);
        private String expectedIssuer = JobClaims.ISSUER;
        private int maxAttempts = 5;
        private Duration defaultRetryAfter = Duration.ofSeconds(10);
        private Duration maxRetryAfter = Duration.ofMinutes(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration knownErrorLookBack = Duration.ofHours(24);
        private String agentVersion = VERSION;
        private Path caFile;
        private Duration reportInterval = Duration.ofHours(1);
        private Set<String> laterRollups = Set.of();

        public Builder laterRollups(Set<String> v) {
            laterRollups = v;
            return this;
        }

        public Builder collectorUrl(URI v) {
            collectorUrl = v;
            return this;
        }

        public Builder remediationUrl(URI v) {
            remediationUrl = v;
            return this;
        }

        public Builder enrollSecret(String v) {
            enrollSecret = v;
            return this;
        }

        public Builder pinnedJwks(String v) {
            pinnedJwks = v;
            return this;
        }

        public Builder jwksRefreshUrl(URI v) {
            jwksRefreshUrl = v;
            return this;
        }

        public Builder trustJwksRefreshOver(String v) {
            trustJwksRefreshOver = v;
            return this;
        }

        public Builder clockSkew(Duration v) {
            clockSkew = v;
            return this;
        }

        public Builder expectedIssuer(String v) {
            expectedIssuer = v;
            return this;
        }

        public Builder maxAttempts(int v) {
            maxAttempts = v;
            return this;
        }

        public Builder defaultRetryAfter(Duration v) {
            defaultRetryAfter = v;
            return this;
        }

        public Builder maxRetryAfter(Duration v) {
            maxRetryAfter = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        public Builder knownErrorLookBack(Duration v) {
            knownErrorLookBack = v;
            return this;
        }

        public Builder agentVersion(String v) {
            agentVersion = v;
            return this;
        }

        public Builder caFile(Path v) {
            caFile = v;
            return this;
        }

        public Builder reportInterval(Duration v) {
            reportInterval = v;
            return this;
        }

        public AgentConfig build() {
            return new AgentConfig(collectorUrl, remediationUrl, enrollSecret, pinnedJwks, jwksRefreshUrl,
                    trustJwksRefreshOver, clockSkew, expectedIssuer, maxAttempts, defaultRetryAfter, maxRetryAfter,
                    requestTimeout, knownErrorLookBack, agentVersion, caFile, reportInterval, laterRollups);
        }
    }
}
