package org.tlsrollout.ui.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.tlsrollout.ui.config.UiConfig;

/**
 * Sends {@code /api/*} and {@code /.well-known/*} on to remediation-service, so that the page talks to one origin.
 * Method, path, query, headers ({@code Authorization} included) and body pass through unchanged, and so does the
 * answer; only the hop-by-hop headers and {@code Host} are dropped (vertx-http-proxy). When remediation-service
 * cannot be reached or does not answer in time, the page gets a 502 problem details document instead of an
 * empty 502.
 */
@Singleton
public class RemediationProxy {
    public static final String PROBLEM_JSON = "application/problem+json";
    static final String[] PROXIED_PATHS = {"/api/*", "/.well-known/*"};
    private static final Logger LOG = Logger.getLogger(RemediationProxy.class);

    private final UiConfig config;
    private final AtomicBoolean unreachable = new AtomicBoolean();

    public RemediationProxy(UiConfig config) {
        this.config = config;
    }

    void install(@Observes Router router, Vertx vertx) {
        URI origin = config.remediationUrl();
        boolean tls = "https".equalsIgnoreCase(origin.getScheme());
        int port = origin.getPort() > 0 ? origin.getPort() : tls ? 443 : 80;
        String prefix = origin.getRawPath() == null ? "" : origin.getRawPath().replaceAll("/+$", "");
        long timeout = config.remediationTimeout().toMillis();

        HttpClientOptions options = new HttpClientOptions()
                .setSsl(tls)
                .setConnectTimeout((int) Math.min(timeout, Integer.MAX_VALUE))
                .setMaxPoolSize(32);
        if (tls) {
            // TLS 1.3 and 1.2 only, the host name checked, and only the configured CA trusted when there is one.
            options.setVerifyHost(true).setEnabledSecureTransportProtocols(Set.of("TLSv1.3", "TLSv1.2"));
            config.remediationCaFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions()
                    .addCertPath(ca.toString())));
        }
        HttpClient client = vertx.createHttpClient(options);
        HttpProxy proxy = HttpProxy.reverseProxy(client)
                .origin(context -> context.client().request(new RequestOptions()
                        .setHost(origin.getHost())
                        .setPort(port)
                        .setSsl(tls)
                        .setIdleTimeout(timeout)))
                .addInterceptor(new ProblemOnFailure(origin, prefix));
        for (String path : PROXIED_PATHS) {
            router.route(path).handler(rc -> proxy.handle(rc.request()));
        }
        LOG.infof("proxying %s to %s%s", String.join(" and ", PROXIED_PATHS), origin,
                tls ? config.remediationCaFile().map(ca -> " (trusting the CA " + ca + " only)").orElse("") : "");
    }

    /** Puts the origin's path in front, and turns a failure to reach the origin into a 502 problem document. */
    private final class ProblemOnFailure implements ProxyInterceptor {
        private final URI origin;
        private final String prefix;

        ProblemOnFailure(URI origin, String prefix) {
            this.origin = origin;
            this.prefix = prefix;
        }

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            String uri = context.request().getURI();
            if (!prefix.isEmpty()) {
                context.request().setURI(prefix + uri);
            }
            return context.sendRequest()
                    .onSuccess(response -> {
                        if (unreachable.compareAndSet(true, false)) {
                            LOG.infof("remediation-service at %s answers again", origin);
                        }
                    })
                    .recover(failure -> Future.succeededFuture(badGateway(context, uri, failure)));
        }

        private ProxyResponse badGateway(ProxyContext context, String uri, Throwable failure) {
            boolean timedOut = failure instanceof TimeoutException
                    || String.valueOf(failure.getMessage()).toLowerCase().contains("timeout");
            String why = timedOut ? "did not answer within " + config.remediationTimeout().toSeconds() + " s"
                    : "cannot be reached (" + failure.getMessage() + ")";
            if (unreachable.compareAndSet(false, true)) {
                LOG.warnf("remediation-service at %s %s", origin, why);
            }
            Buffer body = new JsonObject()
                    .put("type", "urn:tlsrollout:problem:bad-gateway")
                    .put("title", "remediation-service is unavailable")
                    .put("status", 502)
                    .put("detail", "remediation-service at " + origin + " " + why
                            + "; the ui passes every /api call to it. Start it (./tlsrollout up) or set ui.remediation-url.")
                    .put("instance", uri.replaceAll("\\?.*$", ""))
                    .toBuffer();
            return context.request().release().response()
                    .setStatusCode(502)
                    .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .setBody(Body.body(body));
        }
    }
}
