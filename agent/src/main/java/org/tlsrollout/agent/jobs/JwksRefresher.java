package org.tlsrollout.agent.jobs;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tlsrollout.agent.AgentConfig;
import org.tlsrollout.agent.http.AgentHttp;

/**
 * Refreshes the job-signing keys of {@link TrustedKeys} from the remediation service's
 * {@code /.well-known/jwks.json}, when a job names a kid the agent does not know (a key rotation).
 * <ul>
 *   <li>Only from a URL the configuration marks trusted: https, or http when {@code trustJwksRefreshOver} is
 *       {@code http} (a local stack). Anything else is refused when the refresher is built.</li>
 *   <li>At most once per {@code minInterval}, one fetch at a time shared by every agent using it, so that a
 *       flood of jobs with unknown kids does not become a flood of fetches.</li>
 *   <li>A fetched set adds only keys endorsed by a key already trusted, and never removes or replaces one
 *       ({@link TrustedKeys#refresh}).</li>
 * </ul>
 */
public final class JwksRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(JwksRefresher.class);

    private final TrustedKeys keys;
    private final AgentHttp http;
    private final URI uri;
    private final Duration minInterval;
    private final Clock clock;
    private Instant last = Instant.MIN;
    private CompletableFuture<Boolean> inFlight;

    /**
     * @param trustOver {@code https} (the default when null) or {@code http}
     * @throws IllegalArgumentException when the URL is not one the configuration trusts
     */
    public JwksRefresher(TrustedKeys keys, AgentHttp http, URI uri, String trustOver, Duration minInterval,
            Clock clock) {
        if (!isTrusted(uri, trustOver)) {
            throw new IllegalArgumentException("refusing to refresh job-signing keys from " + uri
                    + ": only https is trusted (set trustJwksRefreshOver=http for a local stack on a loopback address)");
        }
        this.keys = keys;
        this.http = http;
        this.uri = uri;
        this.minInterval = minInterval;
        this.clock = clock;
    }

    /**
     * https always; http only when {@code trustOver} is {@code http} and the host is a loopback address (api.md,
     * Transport); nothing else.
     */
    public static boolean isTrusted(URI uri, String trustOver) {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String trusted = trustOver == null ? "https" : trustOver.strip().toLowerCase(Locale.ROOT);
        return scheme.equals("https") || (scheme.equals("http") && trusted.equals("http")
                && AgentConfig.isLoopback(uri.getHost()));
    }

    /**
     * Fetches the set unless one was fetched less than {@code minInterval} ago.
     *
     * @return a future of true when keys were added; it never fails (a failed fetch is logged and is false)
     */
    public synchronized CompletableFuture<Boolean> refresh() {
        if (inFlight != null) {
            return inFlight;
        }
        Instant now = clock.instant();
        if (!last.equals(Instant.MIN) && now.isBefore(last.plus(minInterval))) {
            return CompletableFuture.completedFuture(false);
        }
        last = now;
        CompletableFuture<Boolean> f = http.fetchJwks(uri).thenApply(json -> {
            Set<String> added = keys.refresh(json);
            if (!added.isEmpty()) {
                LOG.info("job-signing keys refreshed from {}: added {}", uri, added);
            }
            return !added.isEmpty();
        }).exceptionally(e -> {
            LOG.warn("cannot refresh job-signing keys from {}: {}", uri, e.getMessage());
            return false;
        });
        inFlight = f;
        f.whenComplete((r, e) -> {
            synchronized (this) {
                inFlight = null;
            }
        });
        return f;
    }
}
