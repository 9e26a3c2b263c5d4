package io.vectormemory.http.server;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.json.JsonBodies;
import io.vectormemory.http.observe.ApiMetrics;
import io.vectormemory.http.observe.ProcessMeters;
import io.vectormemory.http.observe.QdrantHealthCheck;
import io.vectormemory.http.routing.ApiKeys;
import io.vectormemory.http.routing.ApiRouting;
import io.vectormemory.http.routing.ConcurrencyLimit;
import io.vectormemory.http.routing.JsonDirectHandler;
import io.vectormemory.http.routing.RequestFilter;
import io.vectormemory.http.routing.ServingCheck;
import io.vectormemory.http.routing.ServingState;
import io.vectormemory.qdrant.store.CollectionSizes;
import io.vectormemory.qdrant.store.QdrantStores;

import java.time.Duration;
import java.util.Set;

/**
 * The web server of one function (or of several, for the local launcher), and what it owns: the Qdrant stores,
 * the metrics, the health checks, and whether it is still serving. Nothing listens until {@link #config()} is built
 * and started.
 */
public final class ApiServer implements AutoCloseable {
    private final FunctionContext context;
    private final Set<ApiFunction> functions;
    private final FunctionRouting routing;
    private final ServingState state;
    private final Observability observability;
    private final ReadTimeouts readTimeouts;
    private final Preparation preparation;

    /**
     * How long {@link #create} took for the two steps that dominate a cold start before the server is built: opening
     * the Qdrant client, then waiting for the meter registry that {@code ProcessMeters} creates on a thread of its own.
     */
    public record Preparation(Duration qdrantClient, Duration meterRegistryWait) {
    }

    private ApiServer(FunctionContext context, Set<ApiFunction> functions, FunctionRouting routing, ServingState state,
                      Observability observability, Preparation preparation) {
        this.context = context;
        this.functions = Set.copyOf(functions);
        this.routing = routing;
        this.state = state;
        this.observability = observability;
        this.readTimeouts = new ReadTimeouts(Duration.ofMillis(
                context.settings().server().lifecycle().readTimeoutMillis()));
        this.preparation = preparation;
    }

    /**
     * Connects to Qdrant (without a round trip) and prepares the server.
     *
     * @param functions the functions whose routes it serves
     * @param routing   adds the handlers of those routes
     */
    public static ApiServer create(String name, Settings settings, Set<ApiFunction> functions,
                                   FunctionRouting routing) {
        long start = System.nanoTime();
        QdrantStores stores = QdrantStores.open(settings.qdrant());
        long opened = System.nanoTime();
        MeterRegistry registry = ProcessMeters.registry();
        Preparation preparation = new Preparation(Duration.ofNanos(opened - start),
                Duration.ofNanos(System.nanoTime() - opened));
        ApiMetrics metrics = new ApiMetrics(registry, name);
        CollectionSizes sizes = stores.sizes();
        for (String collection : sizes.collections()) {
            metrics.gauge("qdrant_collection_points", "Points in the collection (-1 until Qdrant has answered)",
                    "collection", collection, () -> sizes.points(collection));
        }
        ServingState state = new ServingState();
        Observability observability = new Observability(new ServingCheck(state),
                new QdrantHealthCheck(stores.health()), registry);
        return new ApiServer(new FunctionContext(name, settings, stores, metrics, observability.qdrant(),
                System.nanoTime()), functions, routing, state, observability, preparation);
    }

    public FunctionContext context() {
        return context;
    }

    public ServingState state() {
        return state;
    }

    public Preparation preparation() {
        return preparation;
    }

    /**
     * The whole routing of this server: request filter, error mapping, probes, metrics and the API routes (Helidon's
     * observe endpoints are added by the feature in {@link #config()}).
     */
    public void routing(HttpRouting.Builder rules) {
        ApiRoutes routes = new ApiRoutes();
        routing.routing(routes, context);
        Settings settings = context.settings();
        ApiKeys keys = settings.server().authDisabled()
                ? ApiKeys.disabled() : ApiKeys.of(settings.server().serviceApiKeys());
        rules.addFeature(observability.providedMetersOnFirstScrape());
        ApiRouting.routing(rules, functions, routes, new RequestFilter(context.name(), context.metrics(), state),
                new ApiRouting.Guards(keys, state, context.stores().deadline(),
                        ConcurrencyLimit.of(settings.server().lifecycle().maxConcurrentRequests()),
                        settings.limits().maxBodyBytes()), observability::aliases);
    }

    /**
     * Server configuration: port and host from the settings, HTTPS when a certificate is configured, how long
     * requests in flight may finish on shutdown, how long a connection may stall or idle.
     */
    public WebServerConfig.Builder config() {
        return configure(WebServer.builder());
    }

    /** Applies this server's configuration to a builder (Helidon's {@code @ServerTest} hands the tests one). */
    public WebServerConfig.Builder configure(WebServerConfig.Builder builder) {
        ServerSettings server = context.settings().server();
        Duration idle = Duration.ofMillis(server.lifecycle().idleTimeoutMillis());
        builder.host(server.host())
                .port(server.port())
                .shutdownHook(false)
                // On stop() Helidon closes the listener and idle connections, then waits this long for requests in
                // flight before it interrupts them (its default is half a second).
                .shutdownGracePeriod(Duration.ofMillis(server.lifecycle().shutdownGraceMillis()))
                // HTTP/1.1 only, through ReadTimeouts (a client that stalls mid-request is closed): the protocol
                // Helidon would discover is left out, or it would be a second candidate and connections would be
                // read before any of them is chosen.
                .protocolsDiscoverServices(false)
                .addConnectionSelector(readTimeouts.selector(Http1Config.builder()
                        .maxPrologueLength(context.settings().limits().maxRequestLine())))
                // Keep-alive connections waiting for their next request: Helidon's own pruning, which checks every
                // idleConnectionPeriod (its defaults: 5 min, checked every 2 min).
                .idleConnectionTimeout(idle)
                .idleConnectionPeriod(Duration.ofMillis(Math.clamp(idle.toMillis() / 10, 1_000, 30_000)))
                // Bodies far over the limit are refused by the server itself; up to this size the API reads and
                // discards an oversized body so the client gets its 413 (JsonBodies).
                .maxPayloadSize(JsonBodies.drainLimit(context.settings().limits().maxBodyBytes()))
                .directHandlers(JsonDirectHandler.handlers())
                // Deterministic startup: only what is wired here, no service discovery.
                .featuresDiscoverServices(false)
                .addFeature(observability.feature())
                .routing(this::routing);
        server.tls().ifPresent(files -> builder.tls(ListenerTls.of(files)));
        return builder;
    }

    /** Closes the Qdrant connection; the web server must have stopped first. */
    @Override
    public void close() {
        readTimeouts.close();
        context.stores().close();
    }
}
