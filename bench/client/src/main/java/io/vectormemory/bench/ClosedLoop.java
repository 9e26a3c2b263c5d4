package io.vectormemory.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator, the same model and procedure as wrk: {@code concurrency} workers, each sending
 * its next request as soon as the previous one has answered; a warm-up phase, then a measured phase of its own.
 * Latency is the whole call as the caller sees it.
 */
final class ClosedLoop {
    /** One call of the load; {@code sequence} picks the request (the worker rotates through its share). */
    interface Call {
        void run(long sequence) throws Exception;
    }

    private ClosedLoop() {
    }

    static JsonObject run(Call call, int concurrency, double warmupSeconds, double seconds) throws InterruptedException {
        if (warmupSeconds > 0) {
            phase(call, concurrency, warmupSeconds, new AtomicLong(), new String[1], new long[concurrency][], new int[concurrency]);
        }
        AtomicLong errors = new AtomicLong();
        String[] firstError = new String[1];
        long[][] latencies = new long[concurrency][];
        int[] counts = new int[concurrency];
        long t0 = System.currentTimeMillis();
        phase(call, concurrency, seconds, errors, firstError, latencies, counts);
        long t1 = System.currentTimeMillis();
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(latencies[w], 0, all, at, counts[w]);
            at += counts[w];
        }
        Arrays.sort(all);
        double sum = 0;
        for (long l : all) {
            sum += l;
        }
        var out = Json.createObjectBuilder()
                .add("requests", total)
                .add("seconds", seconds)
                .add("rps", seconds > 0 ? total / seconds : 0)
                .add("p50_ms", percentile(all, 50) / 1e6)
                .add("p99_ms", percentile(all, 99) / 1e6)
                .add("max_ms", total == 0 ? 0 : all[total - 1] / 1e6)
                .add("mean_ms", total == 0 ? 0 : sum / total / 1e6)
                .add("errors", errors.get())
                .add("t0_ms", t0)
                .add("t1_ms", t1);
        if (firstError[0] != null) {
            out.add("first_error", firstError[0]);
        }
        return out.build();
    }

    /**
     * One phase, as wrk runs one: every worker starts at once and loops until the end; answers that arrive by the
     * end count, requests still in flight then do not (the next phase starts only when they are all back).
     */
    private static void phase(Call call, int concurrency, double seconds, AtomicLong errors, String[] firstError,
                              long[][] latencies, int[] counts) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.add(Thread.ofPlatform().name("load-" + w).start(() -> {
                long[] mine = new long[1 << 14];
                int n = 0;
                long sequence = worker;
                long before;
                while ((before = System.nanoTime()) < end) {
                    boolean ok = true;
                    try {
                        call.run(sequence);
                    } catch (Exception e) {
                        ok = false;
                        if (errors.getAndIncrement() == 0) {
                            firstError[0] = e.toString();
                        }
                    }
                    long after = System.nanoTime();
                    sequence += concurrency;
                    if (ok && after <= end) {
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = after - before;
                    }
                }
                latencies[worker] = mine;
                counts[worker] = n;
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
