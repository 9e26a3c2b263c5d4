package io.vectormemory.tests.reliability;

import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.JavaProcess;
import io.vectormemory.tests.support.Load;
import io.vectormemory.tests.support.ProcessStats;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load at saturation against the packaged local launcher (all routes, embedded durable backend in-process) on
 * loopback: a mix of writes over a bounded id space, deletes, searches, scrolls, reads, stats and health from more
 * clients than the machine has cores. No answer may be an error other than deliberate backpressure (503/429 with
 * Retry-After); resident memory, OS threads and open file descriptors are sampled from {@code /proc} and must level
 * off.
 * <p>
 * CI runs it for 30 s. A long soak (README › Operations): {@code -Dsoak.seconds=1800} (or {@code SOAK_SECONDS=1800});
 * it prints the launcher's heap after a full GC, resident memory, OS threads and descriptors every minute
 * ({@code -Dsoak.sampleSeconds} changes that; 10 s in runs shorter than ten minutes).
 */
class SoakIT {
    private static final String KEY = "soak-test-service-key-0123456789abcdef0123";
    private static final int DIM = 1024;
    private static final int WORKERS = 16;
    private static final int MEMORY_IDS = 500;
    private static final int DOCUMENT_FILES = 40;
    private static final Duration WARMUP = Duration.ofSeconds(6);

    private static final Set<Integer> FINE = Set.of(200, 404);
    private static final Set<Integer> BACKPRESSURE = Set.of(429, 503);

    private static Fleet fleet;
    private static JavaProcess local;
    private static Http http;
    private static long seconds;

    @BeforeAll
    static void start() {
        seconds = Long.getLong("soak.seconds", Long.parseLong(System.getenv().getOrDefault("SOAK_SECONDS", "30")));
        fleet = new Fleet("SoakIT");
        Path data = fleet.tempDir("soak-local");
        int port = JavaProcess.freePort();
        // The whole heap committed and touched up front: resident memory then only grows if something outside the
        // heap does (and the heap's live set is measured separately, after a full GC).
        local = fleet.start("local", Fleet.jar("local"), Map.of("PORT", Integer.toString(port),
                "LOCAL_DATA_DIR", data.toString(), "SERVICE_API_KEY", KEY), List.of("-Xms256m", "-XX:+AlwaysPreTouch"));
        http = Fleet.http(port).apiKey(KEY).timeout(Duration.ofSeconds(30));
        local.awaitOk(http, "/readyz", Fleet.STARTUP);
        Fleet.untilOk(() -> http.get("/health"), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static Load.Request next(long user, int worker, long n) {
        java.util.Random r = new java.util.Random(worker * 1_000_003L + n);
        float[] v = Vectors.random(DIM, r.nextLong());
        String memoryId = "mem_" + user + "_" + r.nextInt(MEMORY_IDS);
        int file = r.nextInt(DOCUMENT_FILES);
        return switch (r.nextInt(12)) {
            case 0, 1, 2 -> new Load.Request("POST /memories", () -> http.post("/memories",
                    Data.memory(memoryId, v, Data.memoryPayload(user))));
            case 3 -> new Load.Request("POST /memories/batch", () -> http.post("/memories/batch",
                    "{\"points\":[" + Data.memory(memoryId, v, Data.memoryPayload(user)) + ","
                            + Data.memory("mem_" + user + "_" + r.nextInt(MEMORY_IDS), v, Data.memoryPayload(user))
                            + "]}"));
            case 4 -> new Load.Request("DELETE /memories/{id}", () -> http.delete("/memories/" + memoryId));
            case 5, 6 -> new Load.Request("POST /memories/search", () -> http.post("/memories/search",
                    "{\"query_vector\":" + Vectors.json(v) + ",\"user_id\":" + user + ",\"limit\":10,\"min_score\":0}"));
            case 7 -> new Load.Request("GET /memories/{id}", () -> http.get("/memories/" + memoryId));
            case 8 -> new Load.Request("POST /memories/scroll", () -> http.post("/memories/scroll",
                    "{\"user_id\":" + user + ",\"limit\":50}"));
            case 9 -> new Load.Request("POST /documents/batch", () -> http.post("/documents/batch",
                    "{\"documents\":[" + Data.document(Data.documentId(user, file, 0), v,
                            Data.documentPayload(user, file, "g" + file % 4, 0)) + "," + Data.document(
                            Data.documentId(user, file, 1), v, Data.documentPayload(user, file, "g" + file % 4, 1))
                            + "]}"));
            case 10 -> new Load.Request("POST /documents/search", () -> http.post("/documents/search",
                    "{\"vector\":" + Vectors.json(v) + ",\"user_id\":" + user + ",\"limit\":10,\"min_score\":0}"));
            default -> n % 2 == 0
                    ? new Load.Request("GET /documents/stats/{user}", () -> http.get("/documents/stats/" + user))
                    : new Load.Request("GET /health", () -> http.get("/health"));
        };
    }

    /** One sample of the launcher: heap in use after a full GC (-1: jcmd failed) and what /proc says. */
    private record Sample(long seconds, long heapAfterGcKib, ProcessStats process, Map<Integer, Long> statuses) {
        @Override
        public String toString() {
            return String.format("SOAK +%dm%02ds: heap after GC %s MiB, RSS %d MiB, %d threads, %d fds; requests by "
                            + "status %s", seconds / 60, seconds % 60,
                    heapAfterGcKib < 0 ? "?" : Long.toString(heapAfterGcKib / 1024), process.rssKib() / 1024,
                    process.threads(), process.openFds(), statuses);
        }
    }

    /**
     * Printed, and appended to {@code soak-curve.txt} in the test's log folder: Maven shows a test's output only
     * once it has ended, the file can be followed while a long run goes on.
     */
    private static Sample sample(long startNanos, Load load) {
        long heap = ProcessStats.heapAfterGcKib(local.pid());
        Sample s = new Sample((System.nanoTime() - startNanos) / 1_000_000_000L, heap, ProcessStats.of(local.pid()),
                load.statusCounts());
        System.out.println(s);
        try {
            java.nio.file.Files.writeString(fleet.logs().resolve("soak-curve.txt"), s + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return s;
    }

    @Test
    void saturationStaysErrorFreeAndResourcesLevelOff() {
        long user = Data.user();
        // responses are kept for the calls that need a look (a long run's would not fit in memory)
        Load load = Load.start(WORKERS, (w, n) -> next(user, w, n), r -> !FINE.contains(r.status()));
        Fleet.sleep(WARMUP.toMillis());
        List<Load.Call> warm = load.calls();
        long sampleMillis = 1000 * Long.getLong("soak.sampleSeconds", seconds >= 600 ? 60 : 10);
        long startNanos = System.nanoTime();
        List<Sample> curve = new ArrayList<>();
        curve.add(sample(startNanos, load));
        long end = startNanos + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < end) {
            Fleet.sleep(Math.min(sampleMillis, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            curve.add(sample(startNanos, load));
        }
        List<ProcessStats> samples = curve.stream().map(Sample::process).toList();
        long heapStart = curve.getFirst().heapAfterGcKib();
        long heapEnd = curve.getLast().heapAfterGcKib();
        List<Load.Call> all = load.stop();
        List<Load.Call> measured = all.subList(warm.size(), all.size());
        ProcessStats first = samples.getFirst();
        ProcessStats last = samples.getLast();
        ProcessStats middle = samples.get(samples.size() / 2);

        // Refusals that tell the client to come back (503/429 with Retry-After): backpressure when the process is
        // at MAX_CONCURRENT_REQUESTS, or Qdrant calls that ran into their deadline on an overloaded machine.
        List<Load.Call> errors = measured.stream().filter(c -> !FINE.contains(c.status())
                && !(BACKPRESSURE.contains(c.status()) && c.response().header("retry-after").isPresent())).toList();
        Map<String, Long> shed = measured.stream().filter(c -> BACKPRESSURE.contains(c.status()))
                .collect(Collectors.groupingBy(c -> c.response().object().getString("error", "?"), TreeMap::new,
                        Collectors.counting()));
        long backpressure = shed.values().stream().mapToLong(Long::longValue).sum();
        Map<String, String> latency = new TreeMap<>();
        measured.stream().collect(Collectors.groupingBy(Load.Call::name)).forEach((route, calls) -> latency.put(route,
                calls.size() + " calls p50 " + Load.percentile(calls, 50) + " / p99 " + Load.percentile(calls, 99)
                        + " / max " + Load.percentile(calls, 100) + " ms"));
        double perSecond = measured.size() * 1000.0 / Math.max(1, (measured.getLast().endNanos()
                - measured.getFirst().startNanos()) / 1_000_000);

        System.out.printf("SOAK: %d s at saturation (%d clients) against the local launcher: %d requests (%.0f/s), "
                        + "by status %s, %d told to retry %s, %d errors; p50 %d ms, p99 %d ms, max %d ms%n", seconds,
                WORKERS, measured.size(), perSecond, Load.byStatus(measured), backpressure, shed, errors.size(),
                Load.percentile(measured, 50), Load.percentile(measured, 99), Load.percentile(measured, 100));
        latency.forEach((route, l) -> System.out.println("SOAK:   " + route + ": " + l));
        System.out.println("SOAK: process at start " + first + ", heap after GC " + heapStart / 1024 + " MiB; middle "
                + middle + "; end " + last + ", heap after GC " + heapEnd / 1024 + " MiB");
        System.out.println("SOAK: curve (minute: heap after GC MiB / RSS MiB / threads / fds): " + curve.stream()
                .map(s -> String.format("%.1f: %d/%d/%d/%d", s.seconds() / 60.0, s.heapAfterGcKib() / 1024,
                        s.process().rssKib() / 1024, s.process().threads(), s.process().openFds()))
                .collect(Collectors.joining(", ")));
        errors.stream().limit(10).forEach(c -> System.out.println("SOAK: ERROR " + c));

        assertTrue(measured.size() >= seconds * 10, "too little throughput to call this saturation: " + measured.size());
        assertEquals(List.of(), errors.stream().limit(10).map(Load.Call::toString).toList());
        assertTrue(last.openFds() <= first.openFds() + 32, () -> "file descriptors grew: " + first + " → " + last);
        assertTrue(last.threads() <= first.threads() + 16, () -> "OS threads grew: " + first + " → " + last);
        assertTrue(last.rssKib() <= middle.rssKib() * 1.15 + 32 * 1024,
                () -> "resident memory still growing in the second half: " + middle + " → " + last);
        if (heapStart > 0 && heapEnd > 0) {
            // The data set is bounded (a fixed id space), so what the heap retains must be too. The launcher's
            // in-process backend keeps up to its Lucene RAM buffer (64 MB, LucenePointStore) of written points
            // live until the next flush, so either sample may hold it or not (seen: 21→76 and 80→38 MiB).
            long indexBufferKib = 64 * 1024;
            assertTrue(heapEnd <= heapStart * 1.5 + 32 * 1024 + indexBufferKib, () -> "heap live set grew from "
                    + heapStart / 1024 + " MiB to " + heapEnd / 1024 + " MiB");
        }
        if (seconds >= 600 && curve.stream().allMatch(s -> s.heapAfterGcKib() > 0)) {
            // levelled off: the last third of the run holds no more than the middle third did, within the Lucene
            // RAM buffer's swing
            int n = curve.size();
            long middleThird = curve.subList(n / 3, 2 * n / 3).stream().mapToLong(Sample::heapAfterGcKib).max()
                    .orElse(0);
            long lastThird = curve.subList(2 * n / 3, n).stream().mapToLong(Sample::heapAfterGcKib).max().orElse(0);
            assertTrue(lastThird <= middleThird + 32 * 1024, () -> "heap after GC still growing: max "
                    + middleThird / 1024 + " MiB in the middle third, " + lastThird / 1024 + " MiB in the last");
        }
        Response health = http.get("/health");
        assertEquals(200, health.status(), health::toString);
    }
}
