package io.vectormemory.embedded.bench;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.vectormemory.embedded.Main;
import io.vectormemory.embedded.StandaloneProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchValues;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;

/**
 * Benchmark of the embedded server as a standalone process, against baselines measured in the same
 * run: the exact in-memory store (the reference, {@code EMBEDDED_STORAGE=memory}) and the first
 * release's design (in memory, rebuilt from a journal at start, {@code journaled-memory}). Not a test:
 * run it with {@code shared/embedded/bench.sh} (options below), or tiny through BenchmarkSmokeTest.
 *
 * <p>Data: memories of {@code --users} users, {@code --dim}-dimensional embedding-like vectors (each
 * user writes about 3 of 200 random topics; a vector is its topic's unit centroid plus Gaussian noise
 * of norm 0.8, normalised, so same-topic vectors have cosine ≈ 0.6 and others ≈ 0), payload
 * {@code user_id}, {@code category}, {@code active}, {@code _point_id}, {@code text}, with the payload
 * indexes the API creates. Queries: a fresh vector of one of the user's topics.
 *
 * <p>Measured: ingest rate ({@code --batch} points per upsert, {@code --writers} concurrent clients,
 * {@code wait=true}); search latency p50/p99 (top-5, filtered by user, and unfiltered) at each size of
 * {@code --sizes}; recall@10 of the approximate (HNSW) path against exact results; on-disk size; RSS
 * of the server processes; restart time after a graceful stop and after SIGKILL.
 */
public final class Benchmark {

    /** Options; {@code parse} reads {@code --name value} pairs. */
    public record Options(int points, List<Integer> sizes, int dim, int users, int batch, int writers, int queries,
                          int referenceQueries, int recallQueries, String heap, Path workDir, Path report) {

        static Options parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --name value: " + args[i]);
                }
                a.put(args[i].substring(2), args[i + 1]);
            }
            int points = Integer.parseInt(a.getOrDefault("points", "100000"));
            List<Integer> sizes = Arrays.stream(a.getOrDefault("sizes", "10000," + points).split(","))
                    .map(String::trim).map(Integer::parseInt).toList();
            return new Options(points, sizes, Integer.parseInt(a.getOrDefault("dim", "1024")),
                    Integer.parseInt(a.getOrDefault("users", "100")), Integer.parseInt(a.getOrDefault("batch", "100")),
                    Integer.parseInt(a.getOrDefault("writers", "4")), Integer.parseInt(a.getOrDefault("queries", "300")),
                    Integer.parseInt(a.getOrDefault("reference-queries", "50")),
                    Integer.parseInt(a.getOrDefault("recall-queries", "200")), a.getOrDefault("heap", "2g"),
                    Path.of(a.getOrDefault("work", "shared/embedded/target/bench")),
                    Path.of(a.getOrDefault("report", "shared/embedded/target/bench/report.md")));
        }
    }

    private static final String COLLECTION = "user_memories";
    private static final int TOPICS = 200;
    private static final long SEED = 7;

    private final Options o;
    private final float[][] centroids;
    private final StringBuilder report = new StringBuilder();

    Benchmark(Options options) {
        this.o = options;
        SplittableRandom r = new SplittableRandom(SEED);
        centroids = new float[TOPICS][];
        for (int t = 0; t < TOPICS; t++) {
            centroids[t] = normalised(gaussian(r, o.dim(), 1));
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        String text = new Benchmark(options).run();
        System.out.println(text);
    }

    /** Runs everything; returns the report (also written to {@code --report}). */
    public String run() throws Exception {
        deleteTree(o.workDir().resolve("data"));
        Files.createDirectories(o.workDir().resolve("data"));
        line("# Embedded Qdrant benchmark");
        line("");
        line(String.format(Locale.ROOT, "%d points of %d dimensions (Cosine), %d users, batches of %d, %d concurrent "
                        + "writers, -Xmx%s; %d cores; Java %s; vector API (--add-modules jdk.incubator.vector): %s",
                o.points(), o.dim(), o.users(), o.batch(), o.writers(), o.heap(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("embedded.jvm.flags", "--add-modules jdk.incubator.vector").contains("jdk.incubator.vector")));
        line("Load average at the start (other processes share the machine): " + loadAverage());
        line("");
        Path luceneDir = o.workDir().resolve("data/lucene");
        Path journaledDir = o.workDir().resolve("data/journaled-memory");
        try (StandaloneProcess lucene = start("lucene", luceneDir);
             StandaloneProcess memory = start("memory", null);
             StandaloneProcess journaled = start("journaled-memory", journaledDir)) {
            Map<String, StandaloneProcess> servers = new LinkedHashMap<>();
            servers.put("lucene", lucene);
            servers.put("memory (exact reference)", memory);
            servers.put("journaled-memory (first release)", journaled);
            for (StandaloneProcess s : servers.values()) {
                try (QdrantClient c = s.client(Duration.ofSeconds(60))) {
                    createCollection(c);
                }
            }
            int loaded = 0;
            for (int size : o.sizes()) {
                line("## " + size + " points");
                line("");
                line("| server | ingest " + loaded + "→" + size + " (points/s) | server CPU per 1000 points (s) |");
                line("|---|---|---|");
                for (var e : servers.entrySet()) {
                    long cpu = e.getValue().cpuMillis();
                    double rate = ingest(e.getValue(), loaded, size);
                    double cpuPer1000 = (e.getValue().cpuMillis() - cpu) / 1000.0 / ((size - loaded) / 1000.0);
                    line(String.format(Locale.ROOT, "| %s | %.0f | %.2f |", e.getKey(), rate, cpuPer1000));
                }
                loaded = size;
                line("");
                for (var e : servers.entrySet()) {
                    quiesce(e.getKey(), e.getValue());
                }
                try (QdrantClient c = lucene.client(Duration.ofSeconds(60))) {
                    line("Lucene segments after the ingest: "
                            + c.getCollectionInfoAsync(COLLECTION).get().getSegmentsCount());
                    line("");
                }
                searchLatency(lucene, memory);
                recall(lucene, memory);
            }
            line("## Footprint and restart at " + loaded + " points");
            line("");
            footprint(servers, luceneDir, journaledDir);
            restart(lucene, luceneDir, journaled, journaledDir, loaded);
        }
        line("Load average at the end: " + loadAverage());
        String text = report.toString();
        Files.createDirectories(o.report().toAbsolutePath().getParent());
        Files.writeString(o.report(), text);
        return text;
    }

    private StandaloneProcess start(String storage, Path dataDir) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Main.ENV_STORAGE, storage);
        if (dataDir != null) {
            env.put(Main.ENV_DATA_DIR, dataDir.toString());
        }
        Files.createDirectories(o.workDir());
        return StandaloneProcess.start(env, 0, List.of("-Xmx" + o.heap()),
                o.workDir().resolve("server-" + storage + ".log"));
    }

    /**
     * Waits until the server is idle (merges and checkpoints after an ingest run in the background),
     * so that search latency and CPU are measured alone: less than 50 ms of CPU in a second, for at
     * most five minutes.
     */
    private void quiesce(String name, StandaloneProcess server) throws Exception {
        long start = System.nanoTime();
        long cpu = server.cpuMillis();
        while (System.nanoTime() - start < TimeUnit.MINUTES.toNanos(5)) {
            Thread.sleep(1000);
            long now = server.cpuMillis();
            if (now - cpu < 50) {
                break;
            }
            cpu = now;
        }
        line(String.format(Locale.ROOT, "%s idle after %.0f s of background work (merges, checkpoints).", name,
                (System.nanoTime() - start) / 1e9));
    }

    private void createCollection(QdrantClient c) throws Exception {
        c.createCollectionAsync(COLLECTION, VectorParams.newBuilder().setSize(o.dim()).setDistance(Distance.Cosine)
                .build()).get();
        c.createPayloadIndexAsync(COLLECTION, "user_id", Collections.PayloadSchemaType.Integer, null, true, null,
                null).get();
        c.createPayloadIndexAsync(COLLECTION, "category", Collections.PayloadSchemaType.Keyword, null, true, null,
                null).get();
        c.createPayloadIndexAsync(COLLECTION, "_point_id", Collections.PayloadSchemaType.Keyword, null, true, null,
                null).get();
    }

    // ------------------------------------------------------------------ data

    private static float[] gaussian(SplittableRandom r, int n, double norm) {
        float[] v = new float[n];
        double scale = norm / Math.sqrt(n);
        for (int i = 0; i < n; i++) {
            // Box-Muller
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            v[i] = (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2) * scale);
        }
        return v;
    }

    private static float[] normalised(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    private int topic(int user, SplittableRandom r) {
        return (int) ((user * 7919L + r.nextInt(3) * 104729L) % TOPICS);
    }

    private float[] vectorNear(int topic, SplittableRandom r) {
        float[] noise = gaussian(r, o.dim(), 0.8);
        float[] c = centroids[topic];
        for (int i = 0; i < noise.length; i++) {
            noise[i] += c[i];
        }
        return normalised(noise);
    }

    private PointStruct point(int i) {
        SplittableRandom r = new SplittableRandom(SEED * 1_000_003L + i);
        int user = i % o.users();
        Map<String, Value> payload = new LinkedHashMap<>();
        payload.put("user_id", value(user));
        payload.put("category", value(new String[]{"preferences", "facts", "goals", "people", "misc"}[i % 5]));
        payload.put("active", value(true));
        payload.put("_point_id", value("mem_" + user + "_" + i));
        payload.put("text", value("memory " + i + " of user " + user));
        return PointStruct.newBuilder().setId(id(i)).setVectors(vectors(vectorNear(topic(user, r), r)))
                .putAllPayload(payload).build();
    }

    private record Query(int user, float[] vector) {
    }

    private List<Query> queries(int n, long salt) {
        List<Query> out = new ArrayList<>(n);
        SplittableRandom r = new SplittableRandom(SEED * 31 + salt);
        for (int i = 0; i < n; i++) {
            int user = r.nextInt(o.users());
            out.add(new Query(user, vectorNear(topic(user, r), r)));
        }
        return out;
    }

    // ------------------------------------------------------------------ measurements

    /** Upserts points [from, to) in batches with concurrent writers; points per second. */
    private double ingest(StandaloneProcess server, int from, int to) throws Exception {
        int batches = (to - from + o.batch() - 1) / o.batch();
        ExecutorService pool = Executors.newFixedThreadPool(o.writers());
        try (QdrantClient c = server.client(Duration.ofSeconds(120))) {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < o.writers(); w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int b = writer; b < batches; b += o.writers()) {
                        UpsertPoints.Builder req = UpsertPoints.newBuilder().setCollectionName(COLLECTION).setWait(true);
                        for (int i = from + b * o.batch(); i < Math.min(to, from + (b + 1) * o.batch()); i++) {
                            req.addPoints(point(i));
                        }
                        c.upsertAsync(req.build()).get(120, TimeUnit.SECONDS);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return (to - from) / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static SearchPoints search(float[] v, int limit, Filter filter, SearchParams params) {
        SearchPoints.Builder b = SearchPoints.newBuilder().setCollectionName(COLLECTION).setLimit(limit);
        for (float x : v) {
            b.addVector(x);
        }
        if (filter != null) {
            b.setFilter(filter);
        }
        if (params != null) {
            b.setParams(params);
        }
        return b.build();
    }

    private static Filter user(int user) {
        return Filter.newBuilder().addMust(match("user_id", user)).build();
    }

    /** p50 and p99 in ms of sequential searches, and the server's CPU time per search in ms. */
    private static double[] latency(StandaloneProcess server, QdrantClient c, List<SearchPoints> searches)
            throws Exception {
        // warm-up (the JIT compiles the search path meanwhile; its CPU would count otherwise)
        for (int i = 0; i < 100; i++) {
            c.searchAsync(searches.get(i % searches.size())).get();
        }
        double[] ms = new double[searches.size()];
        long cpu = server.cpuMillis();
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            c.searchAsync(searches.get(i)).get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        double cpuPerQuery = (server.cpuMillis() - cpu) / (double) ms.length;
        Arrays.sort(ms);
        return new double[]{ms[(int) (ms.length * 0.5)], ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)],
                cpuPerQuery};
    }

    private void searchLatency(StandaloneProcess lucene, StandaloneProcess memory) throws Exception {
        List<Query> qs = queries(o.queries(), 1);
        List<SearchPoints> filtered = qs.stream().map(q -> search(q.vector(), 5, user(q.user()), null)).toList();
        List<SearchPoints> unfiltered = qs.stream().map(q -> search(q.vector(), 5, null, null)).toList();
        int refN = Math.min(o.referenceQueries(), qs.size());
        try (QdrantClient l = lucene.client(Duration.ofSeconds(120)); QdrantClient m = memory.client(Duration.ofSeconds(120))) {
            double[] lf = latency(lucene, l, filtered);
            double[] mf = latency(memory, m, filtered.subList(0, refN));
            double[] lu = latency(lucene, l, unfiltered);
            double[] mu = latency(memory, m, unfiltered.subList(0, refN));
            line("| search, top-5 (ms) | lucene p50 | lucene p99 | lucene CPU/query | exact reference p50 | "
                    + "exact reference p99 | reference CPU/query | p50 speed-up | CPU ratio |");
            line("|---|---|---|---|---|---|---|---|---|");
            line(String.format(Locale.ROOT, "| filter user_id (%d queries; reference %d) | %.2f | %.2f | %.2f | %.2f | "
                            + "%.2f | %.2f | %.1f× | %.1f× |", filtered.size(), refN, lf[0], lf[1], lf[2], mf[0], mf[1],
                    mf[2], mf[0] / lf[0], mf[2] / Math.max(0.01, lf[2])));
            line(String.format(Locale.ROOT, "| no filter (%d queries; reference %d) | %.2f | %.2f | %.2f | %.2f | "
                            + "%.2f | %.2f | %.1f× | %.1f× |", unfiltered.size(), refN, lu[0], lu[1], lu[2], mu[0], mu[1],
                    mu[2], mu[0] / lu[0], mu[2] / Math.max(0.01, lu[2])));
            line("");
        }
    }

    /**
     * recall@10 of the default (planned) search against exact results ({@code exact=true} on the Lucene
     * server, itself checked against the in-memory reference on the first queries): without filter
     * (HNSW once past the full-scan threshold) and with a filter letting 10% of the points through.
     */
    private void recall(StandaloneProcess lucene, StandaloneProcess memory) throws Exception {
        List<Query> qs = queries(o.recallQueries(), 2);
        SearchParams exact = SearchParams.newBuilder().setExact(true).build();
        List<Long> tenth = new ArrayList<>();
        for (long u = 0; u < Math.max(1, o.users() / 10); u++) {
            tenth.add(u);
        }
        Filter tenPercent = Filter.newBuilder().addMust(matchValues("user_id", tenth)).build();
        line("| recall@10 vs exact | default hnsw_ef | hnsw_ef 100 | hnsw_ef 200 | hnsw_ef 400 | hnsw_ef 800 |");
        line("|---|---|---|---|---|---|");
        try (QdrantClient l = lucene.client(Duration.ofSeconds(120)); QdrantClient m = memory.client(Duration.ofSeconds(120))) {
            int checked = 0;
            for (Query q : qs.subList(0, Math.min(10, qs.size()))) {
                List<Long> a = ids(l.searchAsync(search(q.vector(), 10, null, exact)).get());
                List<Long> b = ids(m.searchAsync(search(q.vector(), 10, null, null)).get());
                if (!a.equals(b)) {
                    throw new IllegalStateException("exact search differs from the reference: " + a + " vs " + b);
                }
                checked++;
            }
            // random directions: no cluster to aim at, the hardest queries for a graph search
            SplittableRandom r = new SplittableRandom(SEED * 97);
            List<Query> randomQs = new ArrayList<>();
            for (int i = 0; i < qs.size(); i++) {
                randomQs.add(new Query(0, normalised(gaussian(r, o.dim(), 1))));
            }
            for (int row = 0; row < 3; row++) {
                Filter f = row == 1 ? tenPercent : null;
                List<Query> queries = row == 2 ? randomQs : qs;
                StringBuilder line = new StringBuilder(new String[]{"| no filter", "| filter: 10% of the points",
                        "| no filter, random query directions"}[row]);
                for (Integer ef : new Integer[]{null, 100, 200, 400, 800}) {
                    SearchParams params = ef == null ? null : SearchParams.newBuilder().setHnswEf(ef).build();
                    double sum = 0;
                    for (Query q : queries) {
                        Set<Long> truth = new HashSet<>(ids(l.searchAsync(search(q.vector(), 10, f, exact)).get()));
                        List<Long> got = ids(l.searchAsync(search(q.vector(), 10, f, params)).get());
                        sum += got.stream().filter(truth::contains).count() / (double) Math.max(1, truth.size());
                    }
                    line.append(String.format(Locale.ROOT, " | %.4f", sum / queries.size()));
                }
                line(line + " |");
            }
            line("");
            line("(" + qs.size() + " queries; the exact results matched the in-memory reference on the " + checked
                    + " checked.)");
            line("");
        }
    }

    private static List<Long> ids(List<ScoredPoint> hits) {
        return hits.stream().map(h -> h.getId().getNum()).toList();
    }

    private void footprint(Map<String, StandaloneProcess> servers, Path luceneDir, Path journaledDir) throws Exception {
        line("| server | RSS (MiB) | of which anonymous | of which file-backed | peak RSS (MiB) | on disk (MiB) |");
        line("|---|---|---|---|---|---|");
        for (var e : servers.entrySet()) {
            Map<String, Long> kb = e.getValue().memoryKb();
            Path dir = e.getKey().startsWith("lucene") ? luceneDir : e.getKey().startsWith("journaled") ? journaledDir : null;
            line(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %s |", e.getKey(),
                    kb.getOrDefault("VmRSS", 0L) / 1024.0, kb.getOrDefault("RssAnon", 0L) / 1024.0,
                    kb.getOrDefault("RssFile", 0L) / 1024.0, kb.getOrDefault("VmHWM", 0L) / 1024.0,
                    dir == null ? "–" : String.format(Locale.ROOT, "%.0f", size(dir) / 1048576.0)));
        }
        line("");
    }

    private void restart(StandaloneProcess lucene, Path luceneDir, StandaloneProcess journaled, Path journaledDir,
                         int loaded) throws Exception {
        int extra = Math.max(100, loaded / 50);
        List<Query> qs = queries(1, 3);
        SearchPoints probe = search(qs.getFirst().vector(), 5, user(qs.getFirst().user()), null);
        line("| restart at " + loaded + " points | to first answer (ms) |");
        line("|---|---|");
        lucene.stop();
        long t = System.nanoTime();
        try (StandaloneProcess again = start("lucene", luceneDir); QdrantClient c = again.client(Duration.ofSeconds(120))) {
            c.searchAsync(probe).get();
            double graceful = (System.nanoTime() - t) / 1e6;
            line(String.format(Locale.ROOT, "| lucene, after a graceful stop (final checkpoint) | %.0f |", graceful));
            // writes after the last checkpoint, then SIGKILL: the journal tail is replayed
            ingestExtra(again, loaded, loaded + extra);
            again.kill();
        }
        t = System.nanoTime();
        try (StandaloneProcess again = start("lucene", luceneDir); QdrantClient c = again.client(Duration.ofSeconds(120))) {
            c.searchAsync(probe).get();
            double killed = (System.nanoTime() - t) / 1e6;
            line(String.format(Locale.ROOT, "| lucene, after SIGKILL right after %d more points (journal tail "
                    + "replayed) | %.0f |", extra, killed));
            again.stop();
        }
        journaled.stop();
        t = System.nanoTime();
        try (StandaloneProcess again = start("journaled-memory", journaledDir);
             QdrantClient c = again.client(Duration.ofSeconds(120))) {
            c.searchAsync(probe).get();
            double baseline = (System.nanoTime() - t) / 1e6;
            line(String.format(Locale.ROOT, "| journaled-memory (first release: replays the whole journal) | %.0f |",
                    baseline));
            again.stop();
        }
        line("");
    }

    private void ingestExtra(StandaloneProcess server, int from, int to) throws Exception {
        try (QdrantClient c = server.client(Duration.ofSeconds(120))) {
            for (int b = from; b < to; b += o.batch()) {
                UpsertPoints.Builder req = UpsertPoints.newBuilder().setCollectionName(COLLECTION).setWait(true);
                for (int i = b; i < Math.min(to, b + o.batch()); i++) {
                    req.addPoints(point(i));
                }
                c.upsertAsync(req.build()).get();
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void line(String s) {
        report.append(s).append('\n');
        System.out.println(s);
    }
}
