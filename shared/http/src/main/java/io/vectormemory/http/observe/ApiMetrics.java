package io.vectormemory.http.observe;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Request metrics in the Prometheus text format at {@code /metrics}: per-route latency histograms, request and
 * error counters, gauges registered by others (collection sizes), a few process figures; plus plain totals for
 * the {@code /health} body. Route labels come from the route table, so their number is bounded whatever paths
 * clients send.
 * <p>
 * Hand-written rather than Helidon metrics: initialising that registry was 0.4 s of a 1.2 s cold start and
 * recording a request through it showed in every profile; a scrape needs nothing more than this.
 */
public final class ApiMetrics {
    /** Upper bounds of the latency buckets, in seconds; the alert budgets (0.5 s, 1 s, 2 s) are among them. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10,
            30};
    private static final long[] BUCKET_NANOS = new long[BUCKETS.length];
    private static final long STARTED = System.nanoTime();

    static {
        for (int i = 0; i < BUCKETS.length; i++) {
            BUCKET_NANOS[i] = Math.round(BUCKETS[i] * 1e9);
        }
    }

    private final String function;
    private final LongAdder total = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Latency> latencies = new ConcurrentHashMap<>();
    private final List<Gauge> gauges = new CopyOnWriteArrayList<>();

    public ApiMetrics(String function) {
        this.function = function;
    }

    public void record(String route, int status, long nanos) {
        total.increment();
        if (status >= 400) {
            failed.increment();
        }
        outcomes.computeIfAbsent(route + ' ' + status, k -> new Outcome(route, status)).count.increment();
        latencies.computeIfAbsent(route, Latency::new).record(nanos);
    }

    /** Adds a gauge {@code name{label="value"}} read at each scrape. */
    public void gauge(String name, String help, String label, String value, LongSupplier reading) {
        gauges.add(new Gauge(name, help, label, value, reading));
    }

    public long total() {
        return total.sum();
    }

    public long failed() {
        return failed.sum();
    }

    /** Everything, in the Prometheus text exposition format (version 0.0.4). */
    public String prometheusText() {
        StringBuilder out = new StringBuilder(4096);
        Map<String, Outcome> sorted = new TreeMap<>(outcomes);
        header(out, "api_requests_total", "counter", "HTTP requests by route and status");
        for (Outcome o : sorted.values()) {
            outcomeLine(out, "api_requests_total", o);
        }
        header(out, "api_request_errors_total", "counter", "HTTP requests answered with status >= 400");
        for (Outcome o : sorted.values()) {
            if (o.status >= 400) {
                outcomeLine(out, "api_request_errors_total", o);
            }
        }
        header(out, "api_request_duration_seconds", "histogram", "HTTP request latency by route");
        for (Latency l : new TreeMap<>(latencies).values()) {
            l.write(out);
        }
        String lastName = null;
        for (Gauge g : gauges) {
            if (!g.name.equals(lastName)) {
                header(out, g.name, "gauge", g.help);
                lastName = g.name;
            }
            out.append(g.name).append('{').append(g.label).append("=\"").append(escape(g.value)).append("\"} ")
                    .append(g.reading.getAsLong()).append('\n');
        }
        Runtime rt = Runtime.getRuntime();
        header(out, "process_uptime_seconds", "gauge", "Seconds since the process started serving");
        out.append("process_uptime_seconds ").append((System.nanoTime() - STARTED) / 1e9).append('\n');
        header(out, "jvm_heap_used_bytes", "gauge", "Java heap in use");
        out.append("jvm_heap_used_bytes ").append(rt.totalMemory() - rt.freeMemory()).append('\n');
        header(out, "jvm_heap_committed_bytes", "gauge", "Java heap reserved from the operating system");
        out.append("jvm_heap_committed_bytes ").append(rt.totalMemory()).append('\n');
        header(out, "jvm_heap_max_bytes", "gauge", "Largest the Java heap may grow");
        out.append("jvm_heap_max_bytes ").append(rt.maxMemory()).append('\n');
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void outcomeLine(StringBuilder out, String name, Outcome o) {
        out.append(name).append("{function=\"").append(escape(function)).append("\",route=\"")
                .append(escape(o.route)).append("\",status=\"").append(o.status).append("\"} ")
                .append(o.count.sum()).append('\n');
    }

    /** Label values escaped as the format requires (backslash, quote, newline). */
    static String escape(String v) {
        if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private record Outcome(String route, int status, LongAdder count) {
        Outcome(String route, int status) {
            this(route, status, new LongAdder());
        }
    }

    private record Gauge(String name, String help, String label, String value, LongSupplier reading) {
    }

    /** One route's latency histogram: a count per bucket (made cumulative when written), the sum, the count. */
    private final class Latency {
        private final String route;
        private final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
        private final LongAdder sumNanos = new LongAdder();

        Latency(String route) {
            this.route = route;
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(long nanos) {
            int i = 0;
            while (i < BUCKET_NANOS.length && nanos > BUCKET_NANOS[i]) {
                i++;
            }
            buckets[i].increment();
            sumNanos.add(nanos);
        }

        void write(StringBuilder out) {
            String labels = "function=\"" + escape(function) + "\",route=\"" + escape(route) + "\"";
            long cumulative = 0;
            for (int i = 0; i < buckets.length; i++) {
                cumulative += buckets[i].sum();
                String le = i < BUCKETS.length ? Double.toString(BUCKETS[i]) : "+Inf";
                out.append("api_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(le)
                        .append("\"} ").append(cumulative).append('\n');
            }
            out.append("api_request_duration_seconds_sum{").append(labels).append("} ")
                    .append(sumNanos.sum() / 1e9).append('\n');
            out.append("api_request_duration_seconds_count{").append(labels).append("} ").append(cumulative)
                    .append('\n');
        }
    }
}
