package io.vectormemory.shared;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.vectormemory.shared.config.Settings;
import io.vectormemory.shared.http.ApiFunction;
import io.vectormemory.shared.http.ApiRouting;
import io.vectormemory.shared.http.ConcurrencyLimit;
import io.vectormemory.shared.http.JsonDirectHandler;
import io.vectormemory.shared.http.RequestLog;
import io.vectormemory.shared.json.JsonBodies;
import io.vectormemory.shared.tls.ListenerTls;

import java.time.Duration;
import java.util.Set;

/** Builds the web server of one function (or of several, for the local launcher). */
public final class ApiServer {
    private ApiServer() {
    }

    /** The routes of the given functions, plus probes; tests mount exactly this. */
    public static void routing(HttpRouting.Builder rules, Api api, Set<ApiFunction> functions) {
        ApiRouting.routing(rules, functions, api.handlers(), new RequestLog(api.name(), api.metrics(), api.state()),
                new ApiRouting.Guards(api.keys(), api.state(), api.qdrantScope(),
                        ConcurrencyLimit.of(api.settings().lifecycle().maxConcurrentRequests()),
                        api.settings().maxBodyBytes()));
    }

    /**
     * Server configuration: port and host from the settings, HTTPS when a certificate is configured, how long
     * requests in flight may finish on shutdown.
     */
    public static WebServerConfig.Builder config(Api api, Set<ApiFunction> functions) {
        Settings settings = api.settings();
        WebServerConfig.Builder builder = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                // On stop() Helidon closes the listener and idle connections, then waits this long for requests in
                // flight before it interrupts them (its default is half a second).
                .shutdownGracePeriod(Duration.ofMillis(settings.lifecycle().shutdownGraceMillis()))
                // A client that stalls while sending a request holds its connection no longer than this.
                .connectionOptions(socket -> socket.readTimeout(
                        Duration.ofMillis(settings.lifecycle().readTimeoutMillis())))
                // Bodies far over the limit are refused by the server itself; up to this size the API reads and
                // discards an oversized body so the client gets its 413 (JsonBodies).
                .maxPayloadSize(JsonBodies.drainLimit(settings.maxBodyBytes()))
                .directHandlers(JsonDirectHandler.handlers())
                // Deterministic startup: only what is wired here, no service discovery (metrics are ApiRouting's).
                .featuresDiscoverServices(false)
                .routing(rules -> routing(rules, api, functions));
        settings.serverTls().ifPresent(files -> builder.tls(ListenerTls.of(files)));
        return builder;
    }
}
