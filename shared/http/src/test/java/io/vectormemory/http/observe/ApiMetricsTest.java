package io.vectormemory.http.observe;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.vectormemory.http.Route;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/** The API's meters in Helidon's registry (the scrape's format is checked over HTTP in functions/tests). */
class ApiMetricsTest {
    private final MeterRegistry registry = ProcessMeters.registry();

    private List<Tag> tags(String function, String route, String key, String value) {
        return List.of(Tag.create("function", function), Tag.create("route", route), Tag.create(key, value));
    }

    @Test
    void countersAndHistogramsByRouteAndStatus() {
        String function = "unit-" + System.nanoTime();
        ApiMetrics m = new ApiMetrics(registry, function);
        m.record(Route.MEMORY_SEARCH, 200, 300_000, 100_000, null);              // 0.3 ms
        m.record(Route.MEMORY_SEARCH, 200, 3_000_000, 2_000_000, null);          // 3 ms
        m.record(Route.MEMORY_SEARCH, 503, 40_000_000_000L, 0, ApiMetrics.Unavailable.UNAUTHORIZED); // 40 s
        m.record(null, 404, 100_000, 0, null);

        String route = "POST /memories/search";
        assertThat(registry.meter(Counter.class, "api_requests", tags(function, route, "status", "200"))
                .orElseThrow().count(), is(2L));
        assertThat(registry.meter(Counter.class, "api_request_errors", tags(function, route, "status", "503"))
                .orElseThrow().count(), is(1L));
        assertThat(registry.meter(Counter.class, "api_request_errors", tags(function, route, "status", "200"))
                .isPresent(), is(false));
        assertThat(registry.meter(Counter.class, "api_request_unavailable",
                tags(function, route, "cause", "unauthorized")).orElseThrow().count(), is(1L));
        assertThat(registry.meter(Counter.class, "api_requests", tags(function, "unmatched", "status", "404"))
                .orElseThrow().count(), is(1L));
        Timer latency = registry.meter(Timer.class, "api_request_duration",
                List.of(Tag.create("function", function), Tag.create("route", route))).orElseThrow();
        assertThat(latency.count(), is(3L));
        assertThat(latency.totalTime(TimeUnit.SECONDS), closeTo(40.0033, 1e-6));
        Timer qdrant = registry.meter(Timer.class, "api_request_qdrant",
                List.of(Tag.create("function", function), Tag.create("route", route))).orElseThrow();
        assertThat(qdrant.count(), is(2L)); // requests that did not call Qdrant are not in it
        assertThat(m.total(), is(4L));
        assertThat(m.failed(), is(2L));
    }

    @Test
    void recordingARequestAllocatesNothingOnceCompiled() {
        ApiMetrics m = new ApiMetrics(registry, "unit-alloc-" + System.nanoTime());
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        int n = 200_000;
        double perRequest = Double.MAX_VALUE;
        // Interpreted and C1-compiled code allocates (boxing, iterators) until C2 has compiled the path: rounds
        // until then, as a long-running process is.
        for (int round = 0; round < 15 && perRequest >= 1; round++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < n; i++) {
                m.record(Route.MEMORY_SEARCH, i % 10 == 0 ? 503 : 200, 1_000_000 + i, 500_000,
                        ApiMetrics.Unavailable.DISCONNECTED);
            }
            perRequest = (threads.getThreadAllocatedBytes(id) - before) / (double) n;
        }
        assertThat(perRequest, lessThan(1.0));
    }
}
