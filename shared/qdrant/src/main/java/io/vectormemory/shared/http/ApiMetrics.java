package io.vectormemory.shared.http;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request metrics: per-route latency histograms, request and error counters (Prometheus via Helidon metrics
 * at {@code /metrics}), plus plain totals for the {@code /health} body. Route labels come from the route
 * table, so their number is bounded whatever paths clients send.
 */
public final class ApiMetrics {
    private final MeterRegistry registry = Metrics.globalRegistry();
    private final String function;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Meters> byRouteAndStatus = new ConcurrentHashMap<>();

    public ApiMetrics(String function) {
        this.function = function;
    }

    public void record(String route, int status, long nanos) {
        total.incrementAndGet();
        // Meters are looked up once per route and status: building tags and asking the registry on every
        // request was a measurable share of a search's CPU.
        Meters meters = byRouteAndStatus.computeIfAbsent(route + ' ' + status, k -> meters(route, status));
        meters.requests.increment();
        if (meters.errors != null) {
            failed.incrementAndGet();
            meters.errors.increment();
        }
        meters.latency.record(Duration.ofNanos(nanos));
    }

    private Meters meters(String route, int status) {
        List<Tag> tags = List.of(Tag.create("function", function), Tag.create("route", route),
                Tag.create("status", String.valueOf(status)));
        Counter requests = registry.getOrCreate(Counter.builder("api_requests").tags(tags)
                .description("HTTP requests by route and status"));
        Counter errors = status < 400 ? null : registry.getOrCreate(Counter.builder("api_request_errors").tags(tags)
                .description("HTTP requests answered with status >= 400"));
        Timer latency = registry.getOrCreate(Timer.builder("api_request_duration")
                .tags(List.of(Tag.create("function", function), Tag.create("route", route)))
                .description("HTTP request latency by route")
                .publishPercentileHistogram(true)
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30)));
        return new Meters(requests, errors, latency);
    }

    private record Meters(Counter requests, Counter errors, Timer latency) {
    }

    public long total() {
        return total.get();
    }

    public long failed() {
        return failed.get();
    }
}
