package org.tlsrollout.ui.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** The ui's own settings (application.properties, "ui."). */
@ConfigMapping(prefix = "ui")
public interface UiConfig {

    /**
     * Where remediation-service answers; {@code /api/*} and {@code /.well-known/*} are proxied there. A path in
     * the URL is put in front of every proxied path.
     */
    @WithDefault("http://127.0.0.1:8083")
    URI remediationUrl();

    /**
     * The CA (PEM) that remediation-service's certificate is checked against when {@link #remediationUrl()} is
     * https: only that CA is trusted. Unset: the JVM's default trust store.
     */
    java.util.Optional<java.nio.file.Path> remediationCaFile();

    /** How long the proxy waits to connect to remediation-service, and then for each part of its answer. */
    @WithDefault("30s")
    Duration remediationTimeout();

    /** Grafana, linked from the page's header (served to the page by {@code GET /ui-config.json}). */
    @WithDefault("http://localhost:3000")
    String grafanaUrl();

    /** How often the page reloads what it shows while it is visible. */
    @WithDefault("5s")
    Duration refreshInterval();
}
