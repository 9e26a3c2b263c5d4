package io.vectormemory.http.routing;

import io.vectormemory.http.ApiException;
import io.vectormemory.http.observe.ApiMetrics;

import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Backpressure ({@code MAX_CONCURRENT_REQUESTS}): past the limit an API request is refused at once with 503 and
 * Retry-After instead of queueing behind the others, so latency stays bounded when a process is saturated. Probes
 * and metrics are not counted, so a saturated pod is not restarted for failing its liveness probe.
 */
public final class ConcurrencyLimit {
    private final Semaphore permits;

    private ConcurrencyLimit(Semaphore permits) {
        this.permits = permits;
    }

    /** @param max requests served at once; 0 for no limit */
    public static ConcurrencyLimit of(int max) {
        return new ConcurrencyLimit(max > 0 ? new Semaphore(max) : null);
    }

    /** Runs the request, or refuses it when the limit is reached (and tells the request filter why). */
    void run(Runnable request, RequestFilter.Matched matched) {
        if (permits == null) {
            request.run();
            return;
        }
        if (!permits.tryAcquire()) {
            if (matched != null) {
                matched.unavailable = ApiMetrics.Unavailable.OVERLOADED;
            }
            throw new ApiException(503, "Too many concurrent requests, retry later", Map.of("Retry-After", "1"));
        }
        try {
            request.run();
        } finally {
            permits.release();
        }
    }
}
