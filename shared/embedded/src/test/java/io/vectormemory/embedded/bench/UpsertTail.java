package io.vectormemory.embedded.bench;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.vectormemory.embedded.Main;
import io.vectormemory.embedded.StandaloneProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;

/**
 * Batch upsert latency while the backend indexes in the background, shaped like bench/run's upsert figure
 * (bench/README.md): the standalone server, optionally pinned to {@code --server-cpus} with taskset (bench/run gives
 * it one CPU), seeded with {@code --seed} points, then {@code --rounds} times: wait until the collection is green
 * (no merge or graph build queued or running), 1 s of warm-up, {@code --seconds} of {@code --writers} closed-loop
 * clients sending batches of {@code --batch} points of {@code --dim} dimensions ({@code wait=true}), rotating
 * through {@code --bodies} fixed batches (so points are overwritten, as bench/run's are). Prints p50/p99/max per
 * round. Not a test; run with {@code shared/embedded/bench.sh tail [--rounds 3 --server-opts "-Xlog:gc"]}.
 */
public final class UpsertTail {

    private static final String COLLECTION = "tail";

    private UpsertTail() {
    }

    /** One upsert: when it was sent (epoch ms, to line it up with the server's GC log or recording) and its latency. */
    record Sample(long sentMillis, long nanos) {
    }

    /** One measured round. */
    record Round(int requests, double seconds, long[] sortedNanos, long serverCpuMillis) {
        String line(int batch) {
            long slow = Arrays.stream(sortedNanos).filter(l -> l > 300_000_000L).count();
            return String.format(Locale.ROOT, "%d upserts (%.0f points/s): p50 %.1f ms, p99 %.1f ms, max %.1f ms, "
                            + "%d over 300 ms; server CPU %d ms", requests, requests * (double) batch / seconds,
                    ms(50), ms(99), sortedNanos.length == 0 ? 0 : sortedNanos[sortedNanos.length - 1] / 1e6, slow,
                    serverCpuMillis);
        }

        double ms(int percentile) {
            if (sortedNanos.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
            return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "10"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        int writers = Integer.parseInt(a.getOrDefault("writers", "4"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "100"));
        int dim = Integer.parseInt(a.getOrDefault("dim", "1024"));
        int bodies = Integer.parseInt(a.getOrDefault("bodies", "128"));
        int seed = Integer.parseInt(a.getOrDefault("seed", "10000"));
        String cpus = a.getOrDefault("server-cpus", "1");
        Path work = Path.of(a.getOrDefault("work", "shared/embedded/target/tail"));
        List<String> serverOptions = Arrays.stream(a.getOrDefault("server-opts", "").split("\\s+"))
                .filter(o -> !o.isBlank()).toList();

        Path data = work.resolve("data");
        CheckpointStalls.deleteTree(data);
        Files.createDirectories(data);
        List<String> launcher = cpus.isBlank() ? List.of() : List.of("taskset", "-c", cpus);
        try (StandaloneProcess server = StandaloneProcess.start(Map.of(Main.ENV_DATA_DIR, data.toString()), 0,
                launcher, serverOptions, work.resolve("server.log"));
             QdrantClient c = server.client(Duration.ofSeconds(120))) {
            c.createCollectionAsync(COLLECTION, VectorParams.newBuilder().setSize(dim)
                    .setDistance(Distance.Cosine).build()).get();
            c.createPayloadIndexAsync(COLLECTION, "user_id", Collections.PayloadSchemaType.Integer, null, true,
                    null, null).get();
            long seeding = System.nanoTime();
            List<UpsertPoints> seedBatches = new ArrayList<>();
            for (int s = 0; s < seed; s += batch) {
                seedBatches.add(body(s / batch, Math.min(batch, seed - s), dim));
            }
            AtomicLong next = new AtomicLong();
            load(c, seedBatches, 2, true, () -> false, next, null);
            System.out.printf(Locale.ROOT, "seeded %d points in %.1f s%n", seed, (System.nanoTime() - seeding) / 1e9);

            List<UpsertPoints> writes = new ArrayList<>();
            for (int b = 0; b < bodies; b++) {
                writes.add(body(1_000 + b, batch, dim));
            }
            AtomicLong sequence = new AtomicLong();
            for (int r = 1; r <= rounds; r++) {
                long idle = waitIdle(c);
                long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                load(c, writes, writers, false, () -> System.nanoTime() > warmEnd, sequence, null);
                long cpu = server.cpuMillis();
                long start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(seconds);
                List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
                load(c, writes, writers, false, () -> System.nanoTime() > end, sequence, samples);
                double elapsed = (System.nanoTime() - start) / 1e9;
                long[] sorted = samples.stream().mapToLong(Sample::nanos).sorted().toArray();
                Round round = new Round(sorted.length, elapsed, sorted, server.cpuMillis() - cpu);
                System.out.printf(Locale.ROOT, "UPSERT TAIL round %d (idle after %d ms), %d writers, %d x %d: %s%n",
                        r, idle, writers, batch, dim, round.line(batch));
                for (Sample slow : samples) {
                    if (slow.nanos() > 200_000_000L) {
                        System.out.printf(Locale.ROOT, "  slow: sent at %tT.%<tL, %.0f ms%n", slow.sentMillis(),
                                slow.nanos() / 1e6);
                    }
                }
            }
            // gracefully, so that a flight recording the server options start is written
            server.stop();
        }
    }

    /**
     * Closed loop: each writer sends the next batch of the rotation when its previous one answered, until
     * {@code done} (or, with {@code once}, every batch was sent); latencies recorded unless null.
     */
    private static void load(QdrantClient c, List<UpsertPoints> batches, int writers, boolean once,
                             java.util.function.BooleanSupplier done, AtomicLong sequence, List<Sample> latencies)
            throws InterruptedException {
        AtomicBoolean failed = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (!done.getAsBoolean() && !failed.get()) {
                    long s = sequence.getAndIncrement();
                    if (once && s >= batches.size()) {
                        return;
                    }
                    UpsertPoints request = batches.get((int) (s % batches.size()));
                    long sent = System.currentTimeMillis();
                    long t = System.nanoTime();
                    try {
                        c.upsertAsync(request).get(120, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        failed.set(true);
                        throw new IllegalStateException(e);
                    }
                    if (latencies != null) {
                        latencies.add(new Sample(sent, System.nanoTime() - t));
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failed.get()) {
            throw new IllegalStateException("an upsert failed");
        }
    }

    /** Polls until the collection is green (nothing merging or indexing) twice in a row; returns the wait in ms. */
    private static long waitIdle(QdrantClient c) throws Exception {
        long start = System.nanoTime();
        int green = 0;
        while (green < 2 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(600)) {
            Thread.sleep(250);
            boolean idle = c.getCollectionInfoAsync(COLLECTION).get().getStatus()
                    == Collections.CollectionStatus.Green;
            green = idle ? green + 1 : 0;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** One batch: {@code size} points of user {@code user} with a payload like the memories bench/run writes. */
    private static UpsertPoints body(int user, int size, int dim) {
        SplittableRandom random = new SplittableRandom(user);
        UpsertPoints.Builder request = UpsertPoints.newBuilder().setCollectionName(COLLECTION).setWait(true);
        for (int i = 0; i < size; i++) {
            // unit length, as bench/run's vectors are (Dataset.java)
            float[] v = new float[dim];
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                v[d] = (float) random.nextGaussian();
                norm += v[d] * v[d];
            }
            for (int d = 0; d < dim; d++) {
                v[d] = (float) (v[d] / Math.sqrt(norm));
            }
            long pointId = user * 1_000_003L + i;
            request.addPoints(PointStruct.newBuilder().setId(id(pointId)).setVectors(vectors(v))
                    .putPayload("user_id", value(user))
                    .putPayload("category", value("category-" + i % 7))
                    .putPayload("key", value("key-" + i))
                    .putPayload("value", value("a remembered value of user " + user + " number " + i))
                    .putPayload("source", value("auto_detected"))
                    .putPayload("created", value(1_700_000_000L + i))
                    .putPayload("updated", value(1_700_000_000L + i))
                    .putPayload("active", value(true))
                    .putPayload("_point_id", value(user + "-" + i))
                    .build());
        }
        return request.build();
    }
}
