package io.vectormemory.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads the searched data set through the upsert function ({@code POST /memories/batch}, the platform's own
 * write path), so the points carry exactly what the function stores (ids, {@code _point_id}, indexes).
 */
final class Seeding {
    private static final int MAX_ATTEMPTS = 10;

    private Seeding() {
    }

    /** Returns a one-line JSON result: points, seconds, points/s. */
    static String run(Dataset data, String baseUrl, String apiKey, int batchSize, int workers) throws Exception {
        RequestBodies bodies = new RequestBodies(data);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<int[]> batches = new ArrayList<>();
        for (int user = 0; user < data.users(); user++) {
            for (int from = 0; from < data.pointsPerUser(); from += batchSize) {
                batches.add(new int[] {user, from, Math.min(batchSize, data.pointsPerUser() - from)});
            }
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            threads.add(Thread.ofPlatform().name("seed-" + w).start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < batches.size() && failures.isEmpty()) {
                    int[] b = batches.get(i);
                    try {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/memories/batch"))
                                .header("Content-Type", "application/json")
                                .header("X-API-Key", apiKey)
                                .timeout(Duration.ofSeconds(120))
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.batch(b[0], b[1], b[2])))
                                .build();
                        HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                        // A busy backend answers 503 with Retry-After (its deadline passed): retry as a client would.
                        for (int attempt = 1; res.statusCode() == 503 && attempt < MAX_ATTEMPTS; attempt++) {
                            retries.incrementAndGet();
                            Thread.sleep(1000L * res.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
                            res = http.send(request, HttpResponse.BodyHandlers.ofString());
                        }
                        if (res.statusCode() != 200) {
                            throw new IllegalStateException("POST /memories/batch answered " + res.statusCode()
                                    + ": " + res.body());
                        }
                        JsonObject out = Json.createReader(new StringReader(res.body())).readObject();
                        if (out.getInt("success_count") != b[2] || out.getInt("failed_count") != 0) {
                            throw new IllegalStateException("batch partly failed: " + res.body());
                        }
                        stored.addAndGet(b[2]);
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("seeding failed: " + failures.getFirst().getMessage(), failures.getFirst());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return Json.createObjectBuilder()
                .add("kind", "seed")
                .add("points", stored.get())
                .add("users", data.users())
                .add("batch", batchSize)
                .add("workers", workers)
                .add("retries", retries.get())
                .add("seconds", seconds)
                .add("points_per_s", stored.get() / seconds)
                .build().toString();
    }
}
