package io.vectormemory.http.server;

import io.helidon.common.Weighted;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.checks.HealthChecks;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.vectormemory.http.ApiException;
import io.vectormemory.http.Route;
import io.vectormemory.http.observe.ApiMetrics;
import io.vectormemory.http.observe.ProcessMeters;
import io.vectormemory.http.observe.QdrantHealthCheck;
import io.vectormemory.http.routing.ServingCheck;

import java.util.List;
import java.util.Map;

/**
 * Helidon's observe endpoints of one server and the short aliases the deployment uses:
 * <ul>
 * <li>{@code /observe/health} (and {@code /live}, {@code /ready}, {@code /ready/{name}}): liveness (deadlocked
 * threads, heap), readiness {@value ServingCheck#NAME} (not draining) and {@value QdrantHealthCheck#NAME};</li>
 * <li>{@code /observe/metrics}: the API's meters ({@link ApiMetrics}) with Helidon's JVM and system meters, which
 * the first scrape registers ({@link ProcessMeters#registerProvidedMeters()});</li>
 * <li>{@code /livez} and {@code /readyz}, Knative's probes, computed from the liveness checks and from
 * {@value ServingCheck#NAME} (never a Qdrant round trip), and {@code /metrics}, Prometheus' scrape path.</li>
 * </ul>
 */
public final class Observability {
    /**
     * Above the API routing's weight (Helidon's default, 100): the observe routes must be set up before the API's
     * catch-all dispatcher, which answers every other path from the route table.
     */
    static final double WEIGHT = 110;

    private final List<HealthCheck> liveness;
    private final ServingCheck serving;
    private final QdrantHealthCheck qdrant;
    private final MeterRegistry registry;

    public Observability(ServingCheck serving, QdrantHealthCheck qdrant, MeterRegistry registry) {
        this.liveness = List.of(HealthChecks.deadlockCheck(), HealthChecks.heapMemoryCheck());
        this.serving = serving;
        this.qdrant = qdrant;
        this.registry = registry;
    }

    /** The check {@code GET /health} is computed from. */
    public QdrantHealthCheck qdrant() {
        return qdrant;
    }

    /** Helidon's observe feature with exactly these observers and checks (no service discovery). */
    public ObserveFeature feature() {
        return ObserveFeature.builder()
                .observersDiscoverServices(false)
                .weight(WEIGHT)
                .addObserver(HealthObserver.builder()
                        .useSystemServices(false)
                        .details(true)
                        .addHealthChecks(liveness)
                        .addCheck(serving)
                        .addCheck(qdrant)
                        .build())
                .addObserver(MetricsObserver.builder()
                        .meterRegistry(registry)
                        .build())
                .build();
    }

    /**
     * Registers Helidon's JVM and system meters before a scrape path answers for the first time: its weight sets it
     * up before Helidon's metrics routes, which the {@code /metrics} alias reroutes to.
     */
    public HttpFeature providedMetersOnFirstScrape() {
        return new ProvidedMetersOnFirstScrape();
    }

    private static final class ProvidedMetersOnFirstScrape implements HttpFeature, Weighted {
        @Override
        public void setup(HttpRouting.Builder routing) {
            Handler register = (req, res) -> {
                ProcessMeters.registerProvidedMeters();
                res.next();
            };
            routing.any(Route.OBSERVE_PATH + "/metrics", register).any(Route.OBSERVE_PATH + "/metrics/*", register);
        }

        @Override
        public double weight() {
            return WEIGHT + 1;
        }
    }

    /** {@code /livez}, {@code /readyz} and {@code /metrics}. */
    public void aliases(HttpRules rules) {
        rules.get(Route.LIVENESS_PATH, (req, res) -> {
            for (HealthCheck check : liveness) {
                if (check.call().status() != HealthCheckResponse.Status.UP) {
                    throw new ApiException(503, "Not live: " + check.name());
                }
            }
            res.send("OK");
        }).get(Route.READINESS_PATH, (req, res) -> {
            if (serving.call().status() != HealthCheckResponse.Status.UP) {
                // Shutting down: the load balancer stops sending new requests here.
                throw new ApiException(503, "Shutting down", Map.of("Retry-After", "1"));
            }
            res.send("OK");
        }).get(Route.METRICS_PATH, (req, res) -> res.reroute(Route.OBSERVE_PATH + "/metrics"));
    }
}
