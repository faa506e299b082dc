package org.tlsrollout.ui.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.tlsrollout.ui.config.UiConfig;

/** {@code GET /ui-config.json}: what the page needs to know of its deployment (no secrets, no token needed). */
@Singleton
public class UiConfigRoute {
    private final UiConfig config;

    public UiConfigRoute(UiConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        String body = new JsonObject()
                .put("grafanaUrl", config.grafanaUrl())
                .put("refreshSeconds", Math.max(1, config.refreshInterval().toSeconds()))
                .encode();
        router.get("/ui-config.json").handler(rc -> rc.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body));
    }
}
