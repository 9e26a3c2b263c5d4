package io.vectormemory.shared.http;

import io.grpc.Context;
import io.grpc.ManagedChannel;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every API request does around its Qdrant calls.
 * <ul>
 * <li>One deadline for the whole request: every gRPC call made on the request's thread inherits it (gRPC takes
 * the earlier of the call's own deadline and the context's), so a request that makes several calls to a slow
 * Qdrant still answers 503 within the budget instead of once per call.</li>
 * <li>Fast recovery: after a failure, gRPC waits an exponential backoff (up to two minutes) before it dials
 * Qdrant again. When a request finds Qdrant unavailable we cut that wait short, at most a few times a second,
 * so the functions are back within about a second of Qdrant.</li>
 * </ul>
 */
public final class QdrantScope {
    private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** One timer thread per process for every request's deadline. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final long budgetMillis;
    private final ManagedChannel channel;
    private final AtomicLong lastReconnect = new AtomicLong(System.nanoTime() - RECONNECT_INTERVAL_NANOS);

    /**
     * @param budgetMillis how long one request may wait on Qdrant in total
     * @param channel      the process's channel to Qdrant (null: no reconnect nudges)
     */
    public QdrantScope(long budgetMillis, ManagedChannel channel) {
        this.budgetMillis = budgetMillis;
        this.channel = channel;
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

    /** Runs a request's handler under the request's Qdrant deadline. */
    public void run(Runnable handler) {
        Context.CancellableContext scope =
                Context.current().withDeadlineAfter(budgetMillis, TimeUnit.MILLISECONDS, TIMER);
        try {
            scope.run(handler);
        } catch (QdrantUnavailableException e) {
            reconnectSoon();
            throw e;
        } finally {
            scope.cancel(null);
        }
    }

    /** Asks the channel to dial Qdrant now instead of after its backoff; rate-limited. */
    public void reconnectSoon() {
        if (channel == null) {
            return;
        }
        long now = System.nanoTime();
        long last = lastReconnect.get();
        if (now - last >= RECONNECT_INTERVAL_NANOS && lastReconnect.compareAndSet(last, now)) {
            channel.resetConnectBackoff();
        }
    }
}
