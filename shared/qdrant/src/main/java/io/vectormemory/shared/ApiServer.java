package io.vectormemory.shared;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.vectormemory.shared.http.ApiFunction;
import io.vectormemory.shared.http.ApiRouting;
import io.vectormemory.shared.http.JsonDirectHandler;
import io.vectormemory.shared.http.RequestLog;
import io.vectormemory.shared.json.JsonBodies;

import java.util.Set;

/** Builds the web server of one function (or of several, for the local launcher). */
public final class ApiServer {
    private ApiServer() {
    }

    /** The routes of the given functions, plus probes; tests mount exactly this. */
    public static void routing(HttpRouting.Builder rules, Api api, Set<ApiFunction> functions) {
        ApiRouting.routing(rules, functions, api.handlers(), api.keys(), new RequestLog(api.name(), api.metrics()));
    }

    /** Server configuration: port and host from the settings, Prometheus metrics at {@code /metrics}. */
    public static WebServerConfig.Builder config(Api api, Set<ApiFunction> functions) {
        return WebServer.builder()
                .host(api.settings().host())
                .port(api.settings().port())
                .shutdownHook(false)
                // Bodies far over the limit are refused by the server itself; up to this size the API reads and
                // discards an oversized body so the client gets its 413 (JsonBodies).
                .maxPayloadSize(JsonBodies.drainLimit(api.settings().maxBodyBytes()))
                .directHandlers(JsonDirectHandler.handlers())
                // Deterministic startup: only what is wired here, no service discovery.
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .endpoint("/")
                        // Ahead of the API routing, whose catch-all answers every other path.
                        .weight(1000)
                        .addObserver(MetricsObserver.create())
                        .build())
                .routing(rules -> routing(rules, api, functions));
    }
}
