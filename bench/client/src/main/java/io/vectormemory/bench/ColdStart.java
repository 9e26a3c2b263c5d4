package io.vectormemory.bench;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launches a function process several times and measures, from the moment of launch, when {@code /readyz}
 * first answers 200 and when the first real request (sent as soon as it is ready, as Knative's queue proxy
 * does) first answers 200: for a search that includes opening the gRPC channel and the backend round trip.
 * After the last launch the process stays idle until {@code rssAfter} seconds after launch and its resident
 * set is read from {@code /proc/<pid>/status}.
 */
final class ColdStart {
    record Probe(String method, String path, byte[] body, String apiKey) {
    }

    private ColdStart() {
    }

    static JsonObject run(String name, String function, List<String> command, Path log, int port, int runs,
                          double rssAfterSeconds, Probe probe) throws Exception {
        // Warm this process's own socket code, so the first launch is not measured against a cold probe.
        HttpProbe.send(port, "GET", "/readyz", null, null);
        long[] ready = new long[runs];
        long[] first = new long[runs];
        long[] stop = new long[runs];
        long[] memory = null;
        long startedMs = System.currentTimeMillis();
        for (int run = 0; run < runs; run++) {
            awaitPortFree(port);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            long t0 = System.nanoTime();
            Process process = builder.start();
            try {
                ready[run] = awaitStatus(process, port, "GET", "/readyz", null, null, t0);
                first[run] = awaitStatus(process, port, probe.method(), probe.path(), probe.body(), probe.apiKey(), t0);
                if (run == runs - 1 && rssAfterSeconds > 0) {
                    long idleUntil = t0 + (long) (rssAfterSeconds * 1e9);
                    long wait = idleUntil - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    memory = residentKib(process.pid());
                }
            } finally {
                long s0 = System.nanoTime();
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
                stop[run] = System.nanoTime() - s0;
            }
        }
        var out = Json.createObjectBuilder()
                .add("kind", "coldstart")
                .add("name", name)
                .add("function", function)
                .add("runs", runs)
                .add("ready_ms", millis(ready))
                .add("first_ms", millis(first))
                .add("stop_ms", millis(stop))
                .add("ready_median_ms", median(ready) / 1e6)
                .add("first_median_ms", median(first) / 1e6)
                .add("stop_median_ms", median(stop) / 1e6)
                .add("command", String.join(" ", command))
                .add("t0_ms", startedMs)
                .add("t1_ms", System.currentTimeMillis());
        if (memory != null) {
            out.add("rss_after_s", rssAfterSeconds)
                    .add("rss_mib", memory[0] / 1024.0)
                    .add("hwm_mib", memory[1] / 1024.0)
                    .add("rss_anon_mib", memory[2] / 1024.0)
                    .add("rss_file_mib", memory[3] / 1024.0);
        }
        return out.build();
    }

    /** Nanoseconds from t0 until the request answers 200; fails when the process exits or after 120 s. */
    private static long awaitStatus(Process process, int port, String method, String path, byte[] body,
                                    String apiKey, long t0) throws InterruptedException {
        HttpProbe.Answer last = null;
        while (System.nanoTime() - t0 < 120_000_000_000L) {
            last = HttpProbe.send(port, method, path, body, apiKey);
            if (last.status() == 200) {
                return System.nanoTime() - t0;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the process exited (code " + process.exitValue() + ") before "
                        + method + " " + path + " answered 200");
            }
            Thread.sleep(0, 500_000);
        }
        throw new IllegalStateException(method + " " + path + " did not answer 200 within 120 s; last: "
                + (last == null ? "nothing" : last.status() + " " + last.body()));
    }

    private static void awaitPortFree(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (HttpProbe.send(port, "GET", "/livez", null, null).status() == -1) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("port " + port + " is still in use");
    }

    /** VmRSS, VmHWM, RssAnon and RssFile of a process, in KiB (-1 when absent). */
    static long[] residentKib(long pid) throws IOException {
        String[] keys = {"VmRSS:", "VmHWM:", "RssAnon:", "RssFile:"};
        long[] values = {-1, -1, -1, -1};
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            for (int i = 0; i < keys.length; i++) {
                if (line.startsWith(keys[i])) {
                    values[i] = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        }
        return values;
    }

    private static JsonArrayBuilder millis(long[] nanos) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (long n : nanos) {
            a.add(Math.round(n / 1e4) / 100.0);
        }
        return a;
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
