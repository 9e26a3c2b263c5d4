package io.vectormemory.http.observe;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.vectormemory.http.Route;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The API's meters, in Helidon's meter registry (served with Helidon's JVM and system meters at {@code /metrics} and
 * {@code /observe/metrics}): per route and status the requests and errors, per route the latency and the time
 * spent waiting on Qdrant as histograms, 503s by cause, and gauges registered by others (collection sizes).
 * Route labels come from the route table, so their number is bounded whatever paths clients send.
 * <p>
 * A request's meters are created on the route's first request (a function has meters for its own routes only) and
 * then found by array index: no lookup by name and nothing allocated per request.
 */
public final class ApiMetrics {
    /** Upper bounds of the latency buckets; the alert budgets (0.5 s, 1 s, 2 s) are among them. */
    static final Duration[] BUCKETS = durations(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2,
            5, 10, 30);
    /** Label of requests answered from the whole route table (no route of this server fits). */
    public static final String UNMATCHED = "unmatched";
    private static final int MIN_STATUS = 100;
    private static final int MAX_STATUS = 599;

    /** Why a request was answered 503: the words of /health's {@code qdrant.status}, backpressure, a busy cluster. */
    public enum Unavailable {
        DISCONNECTED, UNAUTHORIZED, COLLECTIONS_MISSING, ERROR, OVERLOADED, CLUSTER_BUSY;

        /** The label value. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Tag function;
    private final AtomicReferenceArray<RouteMeters> routes = new AtomicReferenceArray<>(Route.values().length + 1);
    // This server's own totals for the /health body: the registry is the process's, shared by every server a test
    // starts in one JVM.
    private final LongAdder total = new LongAdder();
    private final LongAdder failed = new LongAdder();

    public ApiMetrics(MeterRegistry registry, String function) {
        this.registry = registry;
        this.function = Tag.create("function", function);
    }

    /**
     * Records one API request.
     *
     * @param route       the route that answered, or null when it was answered from the whole table
     * @param qdrantNanos the time it waited on Qdrant
     * @param unavailable why it was a 503, or null
     */
    public void record(Route route, int status, long nanos, long qdrantNanos, Unavailable unavailable) {
        RouteMeters m = meters(route);
        total.increment();
        m.requests(status).increment();
        if (status >= 400) {
            failed.increment();
            m.errors(status).increment();
        }
        m.latency.record(nanos, TimeUnit.NANOSECONDS);
        if (qdrantNanos > 0) {
            m.qdrant.record(qdrantNanos, TimeUnit.NANOSECONDS);
        }
        if (unavailable != null && status == 503) {
            m.unavailable(unavailable).increment();
        }
    }

    /** Adds a gauge {@code name{label="value"}} read at each scrape. */
    public void gauge(String name, String help, String label, String value, LongSupplier reading) {
        registry.getOrCreate(Gauge.builder(name, () -> reading.getAsLong())
                .description(help)
                .tags(List.of(Tag.create(label, value))));
    }

    /** Requests recorded by this server (the {@code /health} body's {@code requests_total}). */
    public long total() {
        return total.sum();
    }

    /** Requests recorded by this server that were answered with a status of 400 or more. */
    public long failed() {
        return failed.sum();
    }

    private RouteMeters meters(Route route) {
        int i = route == null ? routes.length() - 1 : route.ordinal();
        RouteMeters m = routes.get(i);
        if (m == null) {
            // Creating twice in a race is harmless: the registry hands out the same meters.
            m = new RouteMeters(route == null ? UNMATCHED : route.label());
            routes.set(i, m);
        }
        return m;
    }

    private static Duration[] durations(double... seconds) {
        Duration[] d = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            d[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return d;
    }

    /** One route's meters; the counters of a status or a cause are created when first needed. */
    private final class RouteMeters {
        private final List<Tag> tags;
        private final Timer latency;
        private final Timer qdrant;
        private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>(MAX_STATUS - MIN_STATUS + 1);
        private final AtomicReferenceArray<Counter> errors = new AtomicReferenceArray<>(MAX_STATUS - MIN_STATUS + 1);
        private final AtomicReferenceArray<Counter> unavailable =
                new AtomicReferenceArray<>(Unavailable.values().length);

        RouteMeters(String route) {
            this.tags = List.of(function, Tag.create("route", route));
            this.latency = registry.getOrCreate(Timer.builder("api_request_duration")
                    .description("HTTP request latency by route")
                    .buckets(BUCKETS)
                    .percentiles(new double[0]) // Prometheus computes quantiles from the buckets; none kept here
                    .tags(tags));
            this.qdrant = registry.getOrCreate(Timer.builder("api_request_qdrant")
                    .description("Time an HTTP request waited on Qdrant, by route (requests that called it)")
                    .buckets(BUCKETS)
                    .percentiles(new double[0]) // Prometheus computes quantiles from the buckets; none kept here
                    .tags(tags));
        }

        Counter requests(int status) {
            return counter(requests, index(status), "api_requests", "HTTP requests by route and status", status);
        }

        Counter errors(int status) {
            return counter(errors, index(status), "api_request_errors", "HTTP requests answered with status >= 400",
                    status);
        }

        Counter unavailable(Unavailable cause) {
            Counter c = unavailable.get(cause.ordinal());
            if (c == null) {
                c = registry.getOrCreate(Counter.builder("api_request_unavailable")
                        .description("HTTP requests answered 503, by cause")
                        .tags(List.of(tags.get(0), tags.get(1), Tag.create("cause", cause.label()))));
                unavailable.set(cause.ordinal(), c);
            }
            return c;
        }

        private Counter counter(AtomicReferenceArray<Counter> byStatus, int i, String name, String help, int status) {
            Counter c = byStatus.get(i);
            if (c == null) {
                c = registry.getOrCreate(Counter.builder(name)
                        .description(help)
                        .tags(List.of(tags.get(0), tags.get(1), Tag.create("status", Integer.toString(status)))));
                byStatus.set(i, c);
            }
            return c;
        }

        private static int index(int status) {
            return Math.clamp(status, MIN_STATUS, MAX_STATUS) - MIN_STATUS;
        }
    }
}
