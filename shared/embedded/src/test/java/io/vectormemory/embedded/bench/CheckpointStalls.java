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
import java.util.stream.Stream;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;

/**
 * How long writers wait while checkpoints run: the standalone server (Lucene storage) under {@code --writers}
 * concurrent batch upserts ({@code --batch} points of {@code --dim} dimensions, {@code wait=true}) for
 * {@code --seconds}, with a checkpoint every {@code --checkpoint-ms}. Prints the distribution of upsert latencies;
 * a writer stalled by a checkpoint shows in the p99 and the maximum. Run with
 * {@code shared/embedded/bench.sh stalls [--seconds 30 --writers 4 --batch 100 --dim 1024 --checkpoint-ms 1000]}
 * ({@code --server-opts "-D..."} adds JVM options to the server).
 */
public final class CheckpointStalls {

    private CheckpointStalls() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        System.out.println(run(Integer.parseInt(a.getOrDefault("seconds", "30")),
                Integer.parseInt(a.getOrDefault("writers", "4")), Integer.parseInt(a.getOrDefault("batch", "100")),
                Integer.parseInt(a.getOrDefault("dim", "1024")),
                Long.parseLong(a.getOrDefault("checkpoint-ms", "1000")),
                Path.of(a.getOrDefault("work", "shared/embedded/target/stalls")),
                List.of(a.getOrDefault("server-opts", "").split("\\s+"))));
    }

    /** Runs the load and returns the report line. */
    static String run(int seconds, int writers, int batch, int dim, long checkpointMs, Path work,
                      List<String> serverOptions) throws Exception {
        Path data = work.resolve("data");
        deleteTree(data);
        Files.createDirectories(data);
        try (StandaloneProcess server = StandaloneProcess.start(Map.of(Main.ENV_DATA_DIR, data.toString()), 0,
                java.util.stream.Stream.concat(Stream.of("-Xmx2g", "-Dembedded.checkpointIntervalMs=" + checkpointMs),
                        serverOptions.stream().filter(o -> !o.isBlank())).toList(), work.resolve("server.log"))) {
            try (QdrantClient c = server.client(Duration.ofSeconds(120))) {
                c.createCollectionAsync("stalls", VectorParams.newBuilder().setSize(dim)
                        .setDistance(Distance.Cosine).build()).get();
                c.createPayloadIndexAsync("stalls", "user_id", Collections.PayloadSchemaType.Integer, null, true,
                        null, null).get();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong nextId = new AtomicLong();
                List<long[]> perWriter = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                long start = System.nanoTime();
                for (int w = 0; w < writers; w++) {
                    long[][] latencies = {new long[1024]};
                    int[] n = {0};
                    SplittableRandom r = new SplittableRandom(w);
                    threads.add(Thread.ofPlatform().start(() -> {
                        while (!stop.get()) {
                            UpsertPoints.Builder req = UpsertPoints.newBuilder().setCollectionName("stalls")
                                    .setWait(true);
                            for (int i = 0; i < batch; i++) {
                                long idValue = nextId.getAndIncrement();
                                float[] v = new float[dim];
                                for (int d = 0; d < dim; d++) {
                                    v[d] = (float) r.nextDouble(-1, 1);
                                }
                                req.addPoints(PointStruct.newBuilder().setId(id(idValue)).setVectors(vectors(v))
                                        .putPayload("user_id", value(idValue % 100)).build());
                            }
                            long t = System.nanoTime();
                            try {
                                c.upsertAsync(req.build()).get(120, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            if (n[0] == latencies[0].length) {
                                latencies[0] = Arrays.copyOf(latencies[0], n[0] * 2);
                            }
                            latencies[0][n[0]++] = System.nanoTime() - t;
                        }
                        synchronized (perWriter) {
                            perWriter.add(Arrays.copyOf(latencies[0], n[0]));
                        }
                    }));
                }
                Thread.sleep(seconds * 1000L);
                stop.set(true);
                for (Thread t : threads) {
                    t.join();
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                long[] all = perWriter.stream().flatMapToLong(Arrays::stream).sorted().toArray();
                long slow = Arrays.stream(all).filter(l -> l > 300_000_000L).count();
                return String.format(Locale.ROOT, "CHECKPOINT STALLS: %d s, %d writers, batches of %d x %d dims, "
                                + "checkpoint every %d ms: %d upserts (%.0f points/s); latency p50 %.0f ms, p90 %.0f ms, "
                                + "p99 %.0f ms, max %.0f ms; %d upserts over 300 ms", seconds, writers, batch, dim,
                        checkpointMs, all.length, all.length * (double) batch / elapsed, ms(all, 50), ms(all, 90),
                        ms(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6, slow);
            }
        }
    }

    private static double ms(long[] sorted, int percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** Deletes a folder and what it holds (the measurements' data folders). */
    static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
