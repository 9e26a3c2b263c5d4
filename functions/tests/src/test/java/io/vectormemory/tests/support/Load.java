package io.vectormemory.tests.support;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Closed-loop load: a number of workers, each sending one request after the other until stopped, every call
 * recorded with its start and end time, so a test can judge each call against what happened around it (a kill,
 * a restart, a SIGTERM).
 */
public final class Load implements AutoCloseable {
    /** One call as the client saw it; {@code status} is -1 for a connection-level failure ({@code error}). */
    public record Call(String name, int worker, long startNanos, long endNanos, int status, Response response,
                       String error) {
        public long millis() {
            return (endNanos - startNanos) / 1_000_000;
        }

        @Override
        public String toString() {
            return name + " → " + (status < 0 ? error : response) + " in " + millis() + " ms";
        }
    }

    /** What a worker sends next: a name for reports, and the request. */
    public record Request(String name, Supplier<Response> send) {
    }

    /** Picks a worker's next request from its index and its running call count. */
    @FunctionalInterface
    public interface Plan {
        Request next(int worker, long n);
    }

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final Map<Integer, java.util.concurrent.atomic.LongAdder> statuses =
            new java.util.concurrent.ConcurrentHashMap<>();

    private Load(int workerCount, Plan plan, java.util.function.Predicate<Response> keep) {
        for (int w = 0; w < workerCount; w++) {
            int worker = w;
            workers.add(Thread.ofPlatform().daemon().name("load-" + w).start(() -> {
                for (long n = 0; running.get(); n++) {
                    Request r = plan.next(worker, n);
                    sent.incrementAndGet();
                    long start = System.nanoTime();
                    try {
                        Response response = r.send().get();
                        count(response.status());
                        calls.add(new Call(r.name(), worker, start, System.nanoTime(), response.status(),
                                keep.test(response) ? response : null, null));
                    } catch (UncheckedIOException e) {
                        Throwable cause = e.getCause() == null ? e : e.getCause();
                        count(-1);
                        calls.add(new Call(r.name(), worker, start, System.nanoTime(), -1, null,
                                cause.getClass().getSimpleName() + ": " + cause.getMessage()));
                    } catch (RuntimeException e) {
                        count(-1);
                        calls.add(new Call(r.name(), worker, start, System.nanoTime(), -1, null, e.toString()));
                    }
                }
            }));
        }
    }

    public static Load start(int workers, Plan plan) {
        return new Load(workers, plan, response -> true);
    }

    /**
     * As {@link #start(int, Plan)}, keeping the response of a call only when {@code keep} says so (the others are
     * recorded with a null response): for long runs, whose responses would not fit in memory.
     */
    public static Load start(int workers, Plan plan, java.util.function.Predicate<Response> keep) {
        return new Load(workers, plan, keep);
    }

    private void count(int status) {
        statuses.computeIfAbsent(status, s -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** Calls so far by status (-1: no answer), without copying the calls. */
    public Map<Integer, Long> statusCounts() {
        Map<Integer, Long> m = new TreeMap<>();
        statuses.forEach((status, n) -> m.put(status, n.sum()));
        return m;
    }

    /** Stops the workers after their current call and waits for them. */
    public List<Call> stop() {
        running.set(false);
        for (Thread t : workers) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return calls();
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Calls by status (-1: no answer). */
    public static Map<Integer, Integer> byStatus(List<Call> calls) {
        Map<Integer, Integer> m = new TreeMap<>();
        calls.forEach(c -> m.merge(c.status(), 1, Integer::sum));
        return m;
    }

    /** The p-th percentile of call durations, ms. */
    public static long percentile(List<Call> calls, double p) {
        if (calls.isEmpty()) {
            return 0;
        }
        long[] ms = calls.stream().mapToLong(Call::millis).sorted().toArray();
        return ms[(int) Math.min(ms.length - 1, Math.floor(p / 100.0 * ms.length))];
    }

    @Override
    public void close() {
        stop();
    }
}
