package org.tlsrollout.agent.http;

import java.time.Duration;
import java.util.Optional;

/** A service answered with a status the call does not expect. */
public class HttpStatusException extends RuntimeException {
    private final int status;
    private final transient Duration retryAfter;

    public HttpStatusException(String call, int status, String body, Duration retryAfter) {
        super(call + " answered " + status + (body == null || body.isBlank() ? "" : ": " + abbreviate(body)));
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** The {@code Retry-After} of a 503 or 429, when the service sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean isUnauthorized() {
        return status == 401;
    }

    /** 503 and 429: the service asks to be called again later. */
    public boolean isRetryLater() {
        return status == 503 || status == 429;
    }

    private static String abbreviate(String body) {
        String b = body.strip();
        return b.length() <= 300 ? b : b.substring(0, 300) + "...";
    }
}
