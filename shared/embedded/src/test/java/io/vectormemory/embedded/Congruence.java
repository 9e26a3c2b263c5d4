package io.vectormemory.embedded;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.MinShould;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.Common.ValuesCount;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.ClearPayloadPoints;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePayloadPoints;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.ConditionFactory.isEmpty;
import static io.qdrant.client.ConditionFactory.isNull;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchExceptKeywords;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.matchText;
import static io.qdrant.client.ConditionFactory.matchValues;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.ConditionFactory.valuesCount;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.QueryFactory.nearest;
import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;

/**
 * Congruence checking in the spirit of the Python client's local mode tests: seeded random
 * sequences of operations run against several backends through the real client, every result
 * compared. Search results must have the same ids with scores within {@link #SCORE_TOLERANCE};
 * points with equal scores may come in any order (compared as sets), and the tie group at either
 * end of a page (offset, limit) may differ because the split of a tie there is arbitrary.
 */
final class Congruence {

    static final double SCORE_TOLERANCE = 1e-4;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final String[] CITIES = {"Berlin", "London", "Paris", "Rome"};
    private static final String[] TAGS = {"red", "green", "blue"};
    private static final String[] LANGS = {"de", "en", "fr"};
    private static final String[] WORDS = {"apple", "banana", "cherry", "date", "elder"};
    private static final UUID[] UUIDS = {
            UUID.fromString("00000000-0000-0000-0000-000000000001"),
            UUID.fromString("7f000000-0000-4000-8000-000000000000"),
            UUID.fromString("80000000-0000-4000-8000-000000000000"),
            UUID.fromString("ffffffff-ffff-4fff-bfff-ffffffffffff")};

    private Congruence() {
    }

    /** A server under comparison; the first one of a list is the one under test, the last the reference. */
    record Backend(String name, QdrantClient client) {
    }

    /** Counts of what was compared, over all sequences. */
    static final class Stats {
        final AtomicLong sequences = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong searches = new AtomicLong();
        final AtomicLong searchHits = new AtomicLong();
        final AtomicLong scrollPages = new AtomicLong();
        final AtomicLong counts = new AtomicLong();
        final AtomicLong counted = new AtomicLong();
        final AtomicLong retrieves = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        /** Time spent in calls per backend and kind of call (milliseconds). */
        final Map<String, java.util.concurrent.atomic.LongAdder> millis = new java.util.concurrent.ConcurrentSkipListMap<>();

        void time(String key, long nanos) {
            millis.computeIfAbsent(key, k -> new java.util.concurrent.atomic.LongAdder()).add(nanos / 1_000_000);
        }

        @Override
        public String toString() {
            return sequences + " sequences: " + writes + " writes, " + searches + " searches (" + searchHits
                    + " hits), " + scrollPages + " scroll pages, " + counts + " counts (" + counted
                    + " points counted), " + retrieves
                    + " retrieves compared; " + errors + " calls failed alike on every backend; time in calls (ms): "
                    + millis;
        }
    }

    /** Result of a call: a value, or the gRPC status code it failed with. */
    private record Outcome<T>(T value, Status.Code error) {
    }

    private static <T> Outcome<T> call(Callable<ListenableFuture<T>> c) throws Exception {
        try {
            return new Outcome<>(c.call().get(60, TimeUnit.SECONDS), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                return new Outcome<>(null, s.getStatus().getCode());
            }
            throw e;
        }
    }

    @FunctionalInterface
    interface Call<T> {
        ListenableFuture<T> on(QdrantClient client);
    }

    /** One random sequence on its own collection. */
    static final class Sequence {
        private final long seed;
        private final Random rnd;
        private final String collection;
        private final Supplier<List<Backend>> backends;
        private final Stats stats;
        private final int dim;
        private final Distance distance;
        private int step;
        /** What the current step does, rendered only for a failure message. */
        private Supplier<String> what = () -> "";
        private final List<float[]> vectorPool = new ArrayList<>();
        private final int minFullScanThresholdKb;

        Sequence(long seed, Supplier<List<Backend>> backends, Stats stats) {
            this(seed, backends, stats, 1);
        }

        /**
         * @param minFullScanThresholdKb smallest {@code full_scan_threshold} to create collections with
         *                               (Qdrant itself accepts 10 and more)
         */
        Sequence(long seed, Supplier<List<Backend>> backends, Stats stats, int minFullScanThresholdKb) {
            this.minFullScanThresholdKb = minFullScanThresholdKb;
            this.seed = seed;
            this.rnd = new Random(seed);
            this.collection = "congruence-" + Long.toHexString(seed);
            this.backends = backends;
            this.stats = stats;
            this.dim = new int[]{3, 4, 16, 17, 32, 40}[rnd.nextInt(6)];
            this.distance = new Distance[]{Distance.Cosine, Distance.Cosine, Distance.Dot, Distance.Euclid,
                    Distance.Manhattan}[rnd.nextInt(5)];
            for (int i = 0; i < 6; i++) {
                vectorPool.add(randomVector());
            }
        }

        /**
         * Runs {@code operations} random operations; {@code restart} (may be null) is called once at a
         * random step (the backends are fetched again afterwards).
         */
        void run(int operations, Runnable restart) throws Exception {
            int restartAt = restart == null ? -1 : 1 + rnd.nextInt(operations - 1);
            CreateCollection.Builder create = CreateCollection.newBuilder().setCollectionName(collection)
                    .setVectorsConfig(VectorsConfig.newBuilder().setParams(
                            VectorParams.newBuilder().setSize(dim).setDistance(distance)));
            if (rnd.nextBoolean()) {
                // a tiny full-scan threshold sends searches through the HNSW path of the Lucene store
                create.setHnswConfig(HnswConfigDiff.newBuilder()
                        .setFullScanThreshold(minFullScanThresholdKb + rnd.nextInt(2)));
            }
            what = () -> "create " + dim + "-dim " + distance;
            same(c -> c.createCollectionAsync(create.build()));
            for (step = 1; step <= operations; step++) {
                if (step == restartAt) {
                    what = () -> "restart";
                    restart.run();
                }
                int op = rnd.nextInt(100);
                if (op < 30) {
                    upsert();
                } else if (op < 34) {
                    deleteIds();
                } else if (op < 36) {
                    deleteFilter();
                } else if (op < 43) {
                    setPayload();
                } else if (op < 45) {
                    overwritePayload();
                } else if (op < 47) {
                    deletePayload();
                } else if (op < 48) {
                    clearPayload();
                } else if (op < 50) {
                    createIndex();
                } else if (op < 70) {
                    search();
                } else if (op < 78) {
                    query();
                } else if (op < 88) {
                    scroll();
                } else if (op < 94) {
                    count();
                } else {
                    retrieve();
                }
            }
            what = () -> "final scroll";
            scroll(null, 1000);
            what = () -> "delete collection";
            same(c -> c.deleteCollectionAsync(collection));
            stats.sequences.incrementAndGet();
        }

        // ------------------------------------------------------------------ writes

        private void upsert() throws Exception {
            UpsertPoints.Builder b = UpsertPoints.newBuilder().setCollectionName(collection).setWait(true);
            int n = 1 + rnd.nextInt(12);
            for (int i = 0; i < n; i++) {
                b.addPoints(PointStruct.newBuilder().setId(randomId()).setVectors(vectors(pickVector()))
                        .putAllPayload(randomPayload()));
            }
            what = () -> "upsert " + n;
            write(c -> c.upsertAsync(b.build(), TIMEOUT));
        }

        private void deleteIds() throws Exception {
            DeletePoints r = DeletePoints.newBuilder().setCollectionName(collection).setWait(true)
                    .setPoints(PointsSelector.newBuilder().setPoints(randomIds(1 + rnd.nextInt(4)))).build();
            what = () -> "delete ids";
            write(c -> c.deleteAsync(r, TIMEOUT));
        }

        /** A single condition, so that a delete does not empty the collection too often. */
        private void deleteFilter() throws Exception {
            DeletePoints r = DeletePoints.newBuilder().setCollectionName(collection).setWait(true)
                    .setPoints(PointsSelector.newBuilder().setFilter(Filter.newBuilder().addMust(randomCondition(1))))
                    .build();
            what = () -> "delete by filter " + r.getPoints().getFilter();
            write(c -> c.deleteAsync(r, TIMEOUT));
        }

        private PointsSelector randomSelector() {
            return rnd.nextInt(3) == 0
                    ? PointsSelector.newBuilder().setFilter(Filter.newBuilder().addMust(randomCondition(1))).build()
                    : PointsSelector.newBuilder().setPoints(randomIds(1 + rnd.nextInt(3))).build();
        }

        private void setPayload() throws Exception {
            SetPayloadPoints.Builder b = SetPayloadPoints.newBuilder().setCollectionName(collection).setWait(true)
                    .setPointsSelector(randomSelector());
            if (rnd.nextInt(4) == 0) {
                b.setKey("meta");
                b.putPayload("lang", value(LANGS[rnd.nextInt(LANGS.length)]));
                if (rnd.nextBoolean()) {
                    b.putPayload("level", value(rnd.nextInt(4)));
                }
            } else {
                Map<String, Value> p = randomPayload();
                List<String> keys = new ArrayList<>(p.keySet());
                for (String k : keys) {
                    if (rnd.nextBoolean()) {
                        b.putPayload(k, p.get(k));
                    }
                }
                if (rnd.nextInt(5) == 0) {
                    b.putPayload("city", nullValue()); // a null removes the key
                }
            }
            what = () -> "set payload " + b.getPayloadMap().keySet() + (b.hasKey() ? " at " + b.getKey() : "");
            write(c -> c.setPayloadAsync(b.build(), TIMEOUT));
        }

        private void overwritePayload() throws Exception {
            SetPayloadPoints r = SetPayloadPoints.newBuilder().setCollectionName(collection).setWait(true)
                    .setPointsSelector(randomSelector()).putAllPayload(randomPayload()).build();
            what = () -> "overwrite payload";
            write(c -> c.overwritePayloadAsync(r, TIMEOUT));
        }

        private void deletePayload() throws Exception {
            DeletePayloadPoints.Builder b = DeletePayloadPoints.newBuilder().setCollectionName(collection)
                    .setWait(true).setPointsSelector(randomSelector());
            b.addKeys(new String[]{"city", "tags", "meta.lang", "n", "score"}[rnd.nextInt(5)]);
            what = () -> "delete payload " + b.getKeysList();
            write(c -> c.deletePayloadAsync(b.build(), TIMEOUT));
        }

        private void clearPayload() throws Exception {
            ClearPayloadPoints r = ClearPayloadPoints.newBuilder().setCollectionName(collection).setWait(true)
                    .setPoints(randomSelector()).build();
            what = () -> "clear payload";
            write(c -> c.clearPayloadAsync(r, TIMEOUT));
        }

        private void createIndex() throws Exception {
            int i = rnd.nextInt(4);
            String field = new String[]{"city", "n", "ok", "score"}[i];
            FieldType type = new FieldType[]{FieldType.FieldTypeKeyword, FieldType.FieldTypeInteger,
                    FieldType.FieldTypeBool, FieldType.FieldTypeFloat}[i];
            CreateFieldIndexCollection r = CreateFieldIndexCollection.newBuilder().setCollectionName(collection)
                    .setWait(true).setFieldName(field).setFieldType(type).build();
            what = () -> "create index " + field;
            write(c -> c.createPayloadIndexAsync(r, TIMEOUT));
        }

        private <T> void write(Call<T> call) throws Exception {
            stats.writes.incrementAndGet();
            same(call);
        }

        /** The call succeeds on every backend or fails with the same status everywhere. */
        private <T> List<T> same(Call<T> call) throws Exception {
            List<T> values = new ArrayList<>();
            Status.Code first = null;
            String firstName = null;
            String kind = what.get().split(" ")[0];
            for (Backend b : backends.get()) {
                long t0 = System.nanoTime();
                Outcome<T> o = call(() -> call.on(b.client()));
                stats.time(b.name() + "." + kind, System.nanoTime() - t0);
                if (firstName == null) {
                    first = o.error();
                    firstName = b.name();
                } else if (!Objects.equals(first, o.error())) {
                    fail(firstName + " " + (first == null ? "succeeded" : "failed with " + first) + ", "
                            + b.name() + " " + (o.error() == null ? "succeeded" : "failed with " + o.error()));
                }
                values.add(o.value());
            }
            if (first != null) {
                stats.errors.incrementAndGet();
                return null;
            }
            return values;
        }

        // ------------------------------------------------------------------ reads

        private void search() throws Exception {
            SearchPoints.Builder b = SearchPoints.newBuilder().setCollectionName(collection)
                    .setLimit(1 + rnd.nextInt(12)).setWithPayload(enable(true));
            for (float v : pickVector()) {
                b.addVector(v);
            }
            int offset = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : 0;
            if (offset > 0) {
                b.setOffset(offset);
            }
            if (rnd.nextInt(3) == 0) {
                b.setFilter(randomFilter(2));
            }
            if (rnd.nextInt(3) == 0) {
                b.setScoreThreshold(randomThreshold());
            }
            if (rnd.nextInt(4) == 0) {
                b.setParams(SearchParams.newBuilder().setExact(rnd.nextBoolean()).setHnswEf(8 + rnd.nextInt(64)));
            }
            SearchPoints r = b.build();
            what = () -> "search limit " + r.getLimit() + " offset " + offset
                    + (r.hasScoreThreshold() ? " threshold " + r.getScoreThreshold() : "")
                    + (r.hasFilter() ? " filter " + r.getFilter() : "");
            List<List<ScoredPoint>> results = same(c -> c.searchAsync(r, TIMEOUT));
            if (results != null) {
                compareHits(results, (int) r.getLimit(), offset);
            }
        }

        private void query() throws Exception {
            QueryPoints.Builder b = QueryPoints.newBuilder().setCollectionName(collection)
                    .setLimit(1 + rnd.nextInt(10)).setWithPayload(enable(true));
            if (rnd.nextInt(4) == 0) {
                b.setQuery(nearest(randomId()));
            } else {
                b.setQuery(nearest(pickVector()));
            }
            int offset = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0;
            if (offset > 0) {
                b.setOffset(offset);
            }
            if (rnd.nextBoolean()) {
                b.setFilter(randomFilter(2));
            }
            if (rnd.nextInt(3) == 0) {
                b.setScoreThreshold(randomThreshold());
            }
            QueryPoints r = b.build();
            what = () -> "query " + r.getQuery().getNearest().getVariantCase() + " limit " + r.getLimit()
                    + (r.hasFilter() ? " filter " + r.getFilter() : "");
            List<List<ScoredPoint>> results = same(c -> c.queryAsync(r, TIMEOUT));
            if (results != null) {
                compareHits(results, (int) r.getLimit(), offset);
            }
        }

        private void scroll() throws Exception {
            scroll(rnd.nextBoolean() ? randomFilter(2) : null, 1 + rnd.nextInt(7));
        }

        private void scroll(Filter filter, int limit) throws Exception {
            PointId offset = null;
            for (int page = 0; page < 100; page++) {
                ScrollPoints.Builder b = ScrollPoints.newBuilder().setCollectionName(collection).setLimit(limit)
                        .setWithPayload(enable(true))
                        .setWithVectors(io.qdrant.client.WithVectorsSelectorFactory.enable(rnd.nextInt(4) == 0));
                if (filter != null) {
                    b.setFilter(filter);
                }
                if (offset != null) {
                    b.setOffset(offset);
                }
                ScrollPoints r = b.build();
                int pageNumber = page;
                what = () -> "scroll page " + pageNumber + " limit " + limit + (filter != null ? " filter " + filter : "");
                List<ScrollResponse> pages = same(c -> c.scrollAsync(r, TIMEOUT));
                if (pages == null) {
                    return;
                }
                stats.scrollPages.incrementAndGet();
                ScrollResponse first = pages.getFirst();
                for (ScrollResponse other : pages) {
                    check(normal(first.getResultList()).equals(normal(other.getResultList())),
                            "scroll pages differ:\n" + first.getResultList() + "\n" + other.getResultList());
                    check(first.hasNextPageOffset() == other.hasNextPageOffset()
                                    && first.getNextPageOffset().equals(other.getNextPageOffset()),
                            "next page offsets differ");
                }
                if (!first.hasNextPageOffset()) {
                    return;
                }
                offset = first.getNextPageOffset();
            }
        }

        private void count() throws Exception {
            Filter filter = rnd.nextInt(5) == 0 ? null : randomFilter(2);
            what = () -> "count " + filter;
            List<Long> counts = same(c -> c.countAsync(collection, filter, true, TIMEOUT));
            if (counts != null) {
                stats.counts.incrementAndGet();
                stats.counted.addAndGet(counts.getLast());
                check(new HashSet<>(counts).size() == 1, "counts differ: " + counts);
            }
        }

        private void retrieve() throws Exception {
            GetPoints r = GetPoints.newBuilder().setCollectionName(collection)
                    .addAllIds(randomIds(1 + rnd.nextInt(5)).getIdsList())
                    .setWithPayload(enable(true))
                    .setWithVectors(io.qdrant.client.WithVectorsSelectorFactory.enable(true)).build();
            what = () -> "retrieve " + r.getIdsList();
            List<List<RetrievedPoint>> points = same(c -> c.retrieveAsync(r, TIMEOUT));
            if (points != null) {
                stats.retrieves.incrementAndGet();
                for (List<RetrievedPoint> p : points) {
                    check(normal(points.getFirst()).equals(normal(p)),
                            "retrieved points differ:\n" + points.getFirst() + "\n" + p);
                }
            }
        }

        /** Compares search hits of every backend with the last (the reference). */
        private void compareHits(List<List<ScoredPoint>> results, int limit, int offset) {
            stats.searches.incrementAndGet();
            List<ScoredPoint> reference = results.getLast();
            stats.searchHits.addAndGet(reference.size());
            for (List<ScoredPoint> hits : results) {
                compareHits(hits, reference, limit, offset);
            }
        }

        private void compareHits(List<ScoredPoint> got, List<ScoredPoint> want, int limit, int offset) {
            String both = "\n got: " + brief(got) + "\nwant: " + brief(want);
            check(got.size() == want.size(), "result sizes differ" + both);
            for (int i = 0; i < want.size(); i++) {
                check(Math.abs(got.get(i).getScore() - want.get(i).getScore()) <= SCORE_TOLERANCE,
                        "scores differ at " + i + both);
            }
            // tie groups of the reference: runs of equal scores (within the tolerance)
            int start = 0;
            while (start < want.size()) {
                int end = start + 1;
                while (end < want.size() && Math.abs(want.get(end).getScore() - want.get(start).getScore())
                        <= SCORE_TOLERANCE) {
                    end++;
                }
                boolean atOffset = start == 0 && offset > 0;
                boolean atLimit = end == want.size() && want.size() == limit;
                if (!atOffset && !atLimit) {
                    Map<PointId, ScoredPoint> g = byId(got.subList(start, end));
                    Map<PointId, ScoredPoint> w = byId(want.subList(start, end));
                    check(g.keySet().equals(w.keySet()), "ids differ at " + start + ".." + end + both);
                    for (PointId id : w.keySet()) {
                        check(g.get(id).getPayloadMap().equals(w.get(id).getPayloadMap()),
                                "payload of " + id + " differs" + both);
                    }
                }
                start = end;
            }
        }

        /** Id, payload and vector values of retrieved points (the vector may be in {@code data} or {@code dense}). */
        @SuppressWarnings("deprecation")
        private static List<List<Object>> normal(List<RetrievedPoint> points) {
            List<List<Object>> out = new ArrayList<>();
            for (RetrievedPoint p : points) {
                List<Float> vector = null;
                if (p.hasVectors()) {
                    var v = p.getVectors().getVector();
                    vector = v.getDataCount() > 0 ? v.getDataList() : v.getDense().getDataList();
                }
                out.add(java.util.Arrays.asList(p.getId(), p.getPayloadMap(), vector));
            }
            return out;
        }

        private static Map<PointId, ScoredPoint> byId(List<ScoredPoint> hits) {
            Map<PointId, ScoredPoint> out = new LinkedHashMap<>();
            for (ScoredPoint h : hits) {
                out.put(h.getId(), h);
            }
            return out;
        }

        private static String brief(List<ScoredPoint> hits) {
            StringBuilder sb = new StringBuilder("[");
            for (ScoredPoint h : hits) {
                sb.append(h.getId().hasNum() ? Long.toString(h.getId().getNum()) : h.getId().getUuid())
                        .append('=').append(h.getScore()).append(' ');
            }
            return sb.append(']').toString();
        }

        private void check(boolean ok, String message) {
            if (!ok) {
                fail(message);
            }
        }

        private void fail(String message) {
            throw new AssertionError("sequence seed " + seed + ", step " + step + " (" + what.get() + "): " + message);
        }

        // ------------------------------------------------------------------ random data

        private PointId randomId() {
            return rnd.nextInt(10) == 0 ? id(UUIDS[rnd.nextInt(UUIDS.length)]) : id(rnd.nextInt(60));
        }

        private PointsIdsList randomIds(int n) {
            PointsIdsList.Builder b = PointsIdsList.newBuilder();
            for (int i = 0; i < n; i++) {
                b.addIds(randomId());
            }
            return b.build();
        }

        private float[] randomVector() {
            float[] v = new float[dim];
            boolean lattice = rnd.nextBoolean();
            for (int i = 0; i < dim; i++) {
                v[i] = lattice ? (rnd.nextInt(5) - 2) * 0.5f : Math.round(rnd.nextGaussian() * 1000) / 1000f;
            }
            return v;
        }

        /** Often a vector seen before, so that equal scores (ties) are common. */
        private float[] pickVector() {
            if (rnd.nextInt(3) == 0) {
                return vectorPool.get(rnd.nextInt(vectorPool.size()));
            }
            float[] v = randomVector();
            if (rnd.nextInt(4) == 0) {
                vectorPool.add(v);
            }
            return v;
        }

        private float randomThreshold() {
            return switch (distance) {
                case Cosine -> Math.round((rnd.nextFloat() * 1.6f - 0.6f) * 100) / 100f;
                case Dot -> Math.round((rnd.nextFloat() * 4 - 1) * 4) / 4f;
                default -> Math.round(rnd.nextFloat() * dim * 2) / 2f;
            };
        }

        private Map<String, Value> randomPayload() {
            Map<String, Value> p = new LinkedHashMap<>();
            int cityKind = rnd.nextInt(6);
            if (cityKind < 4) {
                p.put("city", value(CITIES[rnd.nextInt(CITIES.length)]));
            } else if (cityKind == 4) {
                p.put("city", list(List.of(value(CITIES[rnd.nextInt(4)]), value(CITIES[rnd.nextInt(4)]))));
            }
            int nKind = rnd.nextInt(8);
            if (nKind < 5) {
                p.put("n", value(rnd.nextInt(6)));
            } else if (nKind == 5) {
                p.put("n", value(rnd.nextInt(6) + 0.5));
            } else if (nKind == 6) {
                p.put("n", value(Integer.toString(rnd.nextInt(6))));
            }
            if (rnd.nextInt(4) > 0) {
                p.put("ok", value(rnd.nextBoolean()));
            }
            if (rnd.nextBoolean()) {
                List<Value> tags = new ArrayList<>();
                for (int i = rnd.nextInt(3); i > 0; i--) {
                    tags.add(value(TAGS[rnd.nextInt(TAGS.length)]));
                }
                p.put("tags", list(tags));
            }
            if (rnd.nextBoolean()) {
                p.put("score", value((rnd.nextInt(13) - 4) * 0.25));
            }
            if (rnd.nextBoolean()) {
                Map<String, Value> meta = new LinkedHashMap<>();
                meta.put("lang", value(LANGS[rnd.nextInt(LANGS.length)]));
                if (rnd.nextBoolean()) {
                    meta.put("level", value(rnd.nextInt(4)));
                }
                p.put("meta", value(meta));
            }
            if (rnd.nextInt(5) == 0) {
                p.put("nul", nullValue());
            }
            if (rnd.nextInt(3) == 0) {
                StringBuilder text = new StringBuilder();
                for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                    text.append(WORDS[rnd.nextInt(WORDS.length)]).append(' ');
                }
                p.put("text", value(text.toString().trim()));
            }
            return p;
        }

        private Filter randomFilter(int depth) {
            Filter.Builder f = Filter.newBuilder();
            int kind = rnd.nextInt(10);
            if (kind < 5) {
                f.addMust(randomCondition(depth));
                if (rnd.nextInt(3) == 0) {
                    f.addMust(randomCondition(depth));
                }
            }
            if (kind >= 3 && kind < 8) {
                f.addShould(randomCondition(depth));
                f.addShould(randomCondition(depth));
            }
            if (rnd.nextInt(3) == 0) {
                f.addMustNot(randomCondition(depth));
            }
            if (rnd.nextInt(8) == 0) {
                MinShould.Builder m = MinShould.newBuilder().setMinCount(rnd.nextInt(3));
                for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                    m.addConditions(randomCondition(depth));
                }
                f.setMinShould(m);
            }
            return f.build();
        }

        private Condition randomCondition(int depth) {
            int kind = rnd.nextInt(depth > 1 ? 15 : 14);
            return switch (kind) {
                case 0 -> matchKeyword("city", CITIES[rnd.nextInt(CITIES.length)]);
                case 1 -> match("n", (long) rnd.nextInt(6));
                case 2 -> match("ok", rnd.nextBoolean());
                case 3 -> matchKeywords(rnd.nextBoolean() ? "tags" : "city",
                        List.of(TAGS[rnd.nextInt(3)], CITIES[rnd.nextInt(4)]));
                case 4 -> matchValues("n", List.of((long) rnd.nextInt(6), (long) rnd.nextInt(6)));
                case 5 -> range(new String[]{"n", "score", "meta.level"}[rnd.nextInt(3)], randomRange());
                case 6 -> isEmpty(new String[]{"tags", "missing", "city", "nul"}[rnd.nextInt(4)]);
                case 7 -> isNull(new String[]{"nul", "city"}[rnd.nextInt(2)]);
                case 8 -> hasId(randomIds(1 + rnd.nextInt(6)).getIdsList());
                case 9 -> matchKeyword("meta.lang", LANGS[rnd.nextInt(LANGS.length)]);
                case 10 -> matchText("text", WORDS[rnd.nextInt(WORDS.length)].substring(0, 3));
                case 11 -> matchExceptKeywords("city", List.of(CITIES[rnd.nextInt(4)]));
                case 12 -> valuesCount("tags", ValuesCount.newBuilder().setGte(rnd.nextInt(3)).build());
                case 13 -> matchKeyword("tags", TAGS[rnd.nextInt(TAGS.length)]);
                default -> filter(randomFilter(depth - 1));
            };
        }

        private Range randomRange() {
            Range.Builder r = Range.newBuilder();
            double a = (rnd.nextInt(13) - 4) * 0.5;
            switch (rnd.nextInt(5)) {
                case 0 -> r.setGt(a);
                case 1 -> r.setGte(a);
                case 2 -> r.setLt(a);
                case 3 -> r.setLte(a);
                default -> r.setGte(a).setLt(a + 1 + rnd.nextInt(3));
            }
            return r.build();
        }
    }

    static Set<Long> seeds(long base, int n) {
        Set<Long> out = new java.util.LinkedHashSet<>();
        Random r = new Random(base);
        while (out.size() < n) {
            out.add(r.nextLong() & Long.MAX_VALUE);
        }
        return out;
    }
}
