package io.vectormemory.bench;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launches a function process several times and measures, from the moment of launch, when {@code /readyz}
 * first answers 200 and when the first real request (sent as soon as it is ready, as Knative's queue proxy
 * does) first answers 200: for a search that includes opening the gRPC channel and the backend round trip.
 * After the last launch the process stays idle until {@code rssAfter} seconds after launch and its resident
 * set is read from {@code /proc/<pid>/status}.
 * <p>
 * Given two configurations (a change and its baseline), their launches alternate (A B, B A, ...), so that a slower
 * minute of a shared machine weighs on both alike.
 */
final class ColdStart {
    record Probe(String method, String path, byte[] body, String apiKey) {
    }

    /** One way of launching the function, and how the report names it. */
    record Config(String name, String desc, List<String> command) {
    }

    private ColdStart() {
    }

    /** One result line per configuration, in the order given. */
    static List<JsonObject> run(List<Config> configs, String function, Path log, int port, int runs,
                                double rssAfterSeconds, Probe probe) throws Exception {
        // Warm this process's own socket code, so the first launch is not measured against a cold probe.
        HttpProbe.send(port, "GET", "/readyz", null, null);
        int n = configs.size();
        long[][] ready = new long[n][runs];
        long[][] first = new long[n][runs];
        long[][] stop = new long[n][runs];
        long[][] memory = new long[n][];
        long startedMs = System.currentTimeMillis();
        for (int run = 0; run < runs; run++) {
            for (int k = 0; k < n; k++) {
                int c = run % 2 == 0 ? k : n - 1 - k;
                boolean last = run == runs - 1 && rssAfterSeconds > 0;
                long[] m = launch(configs.get(c).command(), log, port, probe, last ? rssAfterSeconds : 0,
                        ready[c], first[c], stop[c], run);
                if (last) {
                    memory[c] = m;
                }
            }
        }
        List<JsonObject> out = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            Config config = configs.get(c);
            var line = Json.createObjectBuilder()
                    .add("kind", "coldstart")
                    .add("name", config.name())
                    .add("function", function)
                    .add("runs", runs)
                    .add("ready_ms", millis(ready[c]))
                    .add("first_ms", millis(first[c]))
                    .add("stop_ms", millis(stop[c]))
                    .add("ready_median_ms", median(ready[c]) / 1e6)
                    .add("first_median_ms", median(first[c]) / 1e6)
                    .add("stop_median_ms", median(stop[c]) / 1e6)
                    .add("command", String.join(" ", config.command()))
                    .add("desc", config.desc())
                    .add("t0_ms", startedMs)
                    .add("t1_ms", System.currentTimeMillis());
            if (memory[c] != null) {
                line.add("rss_after_s", rssAfterSeconds)
                        .add("rss_mib", memory[c][0] / 1024.0)
                        .add("hwm_mib", memory[c][1] / 1024.0)
                        .add("rss_anon_mib", memory[c][2] / 1024.0)
                        .add("rss_file_mib", memory[c][3] / 1024.0);
            }
            out.add(line.build());
        }
        return out;
    }

    /** One launch: its times go to index {@code run} of the arrays; its memory when {@code rssAfterSeconds > 0}. */
    private static long[] launch(List<String> command, Path log, int port, Probe probe, double rssAfterSeconds,
                                 long[] ready, long[] first, long[] stop, int run) throws Exception {
        awaitPortFree(port);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long t0 = System.nanoTime();
        Process process = builder.start();
        long[] memory = null;
        try {
            ready[run] = awaitStatus(process, port, "GET", "/readyz", null, null, t0);
            first[run] = awaitStatus(process, port, probe.method(), probe.path(), probe.body(), probe.apiKey(), t0);
            if (rssAfterSeconds > 0) {
                long wait = t0 + (long) (rssAfterSeconds * 1e9) - System.nanoTime();
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
        return memory;
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
