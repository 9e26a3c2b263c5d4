package io.vectormemory.qdrant.calls;

import io.grpc.Context;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One deadline for all the Qdrant calls of a request: every gRPC call made on the request's thread inherits it
 * (gRPC takes the earlier of the call's own deadline and the context's), so a request that makes several calls
 * to a slow Qdrant still ends within the budget instead of once per call. When a request finds Qdrant
 * unavailable, the connection is asked to dial again at once rather than after gRPC's backoff.
 */
public final class RequestDeadline {
    /** One timer thread per process for every request's deadline. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final long budgetMillis;
    private final Runnable onUnavailable;

    /**
     * @param budgetMillis  how long one request may wait on Qdrant in total
     * @param onUnavailable what to do when a request found Qdrant unavailable (e.g. reconnect now)
     */
    public RequestDeadline(long budgetMillis, Runnable onUnavailable) {
        this.budgetMillis = budgetMillis;
        this.onUnavailable = onUnavailable;
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "qdrant-request-deadlines");
            t.setDaemon(true);
            return t;
        });
        // Most requests end long before their deadline: drop their timers at once instead of keeping them queued.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Runs a request's work under the request's Qdrant deadline. */
    public void run(Runnable request) {
        Context.CancellableContext scope =
                Context.current().withDeadlineAfter(budgetMillis, TimeUnit.MILLISECONDS, TIMER);
        try {
            scope.run(request);
        } catch (QdrantUnavailableException e) {
            onUnavailable.run();
            throw e;
        } finally {
            scope.cancel(null);
        }
    }
}
