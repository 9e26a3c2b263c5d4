package io.vectormemory.embedded.store.memory;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.Distance;
import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.FilterMatcher;
import io.vectormemory.embedded.model.JsonPath;
import io.vectormemory.embedded.model.PointId;
import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.PayloadIndexSpec;
import io.vectormemory.embedded.store.PointStore;
import io.vectormemory.embedded.store.ScoredPoint;
import io.vectormemory.embedded.store.SearchParams;
import io.vectormemory.embedded.store.StoredPoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Points in a sorted map; exact brute-force search. Reads may run concurrently (no writer then).
 * This is the reference the persistent store is checked against.
 */
final class InMemoryPointStore implements PointStore {

    private final CollectionSpec spec;
    private final long createdAt;
    private final TreeMap<PointId, StoredPoint> points = new TreeMap<>();
    private final Map<String, PayloadIndexSpec> indexes = new LinkedHashMap<>();
    private volatile long lastOperationId = -1;

    InMemoryPointStore(CollectionSpec spec, long createdAt) {
        this.spec = spec;
        this.createdAt = createdAt;
    }

    @Override
    public CollectionSpec spec() {
        return spec;
    }

    @Override
    public long createdAt() {
        return createdAt;
    }

    @Override
    public long lastOperationId() {
        return lastOperationId;
    }

    @Override
    public long durablePosition() {
        return -1;
    }

    @Override
    public void upsert(long operationId, List<StoredPoint> batch) {
        for (StoredPoint p : batch) {
            points.put(p.id(), p);
        }
    }

    @Override
    public void delete(long operationId, Collection<PointId> ids) {
        for (PointId id : ids) {
            points.remove(id);
        }
    }

    @Override
    public void replacePayload(long operationId, StoredPoint point, Map<String, Value> payload) {
        points.put(point.id(), new StoredPoint(point.id(), point.vector(),
                Collections.unmodifiableMap(new LinkedHashMap<>(payload)), operationId));
    }

    @Override
    public void createPayloadIndex(long operationId, String key, PayloadIndexSpec indexSpec) {
        indexes.put(key, indexSpec);
    }

    @Override
    public void deletePayloadIndex(long operationId, String key) {
        indexes.remove(key);
    }

    @Override
    public void finish(long operationId, long position, boolean lastOfRecord) {
        lastOperationId = operationId;
    }

    @Override
    public long count(Filter filter) {
        if (filter == null) {
            return points.size();
        }
        long n = 0;
        for (StoredPoint p : points.values()) {
            if (matches(filter, p)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public Optional<StoredPoint> get(PointId id) {
        return Optional.ofNullable(points.get(id));
    }

    @Override
    public List<StoredPoint> scroll(PointId from, Filter filter, int limit) {
        NavigableMap<PointId, StoredPoint> tail = from == null ? points : points.tailMap(from, true);
        List<StoredPoint> out = new ArrayList<>(Math.min(limit, 1024));
        for (StoredPoint p : tail.values()) {
            if (out.size() >= limit) {
                break;
            }
            if (matches(filter, p)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public List<PointId> ids(Filter filter) {
        List<PointId> out = new ArrayList<>();
        for (StoredPoint p : points.values()) {
            if (matches(filter, p)) {
                out.add(p.id());
            }
        }
        return out;
    }

    private record Candidate(StoredPoint point, float similarity) {
    }

    /** Best first: higher similarity, then lower id. */
    private static final Comparator<Candidate> BEST_FIRST = Comparator
            .comparingDouble((Candidate c) -> c.similarity).reversed()
            .thenComparing(c -> c.point.id());

    @Override
    public List<ScoredPoint> search(float[] query, Filter filter, int k, SearchParams params) {
        if (k <= 0) {
            return List.of();
        }
        Distance distance = spec.distance();
        // worst candidate on top
        PriorityQueue<Candidate> heap = new PriorityQueue<>(Math.min(k, 4096) + 1, BEST_FIRST.reversed());
        for (StoredPoint p : points.values()) {
            if (!matches(filter, p)) {
                continue;
            }
            Candidate c = new Candidate(p, distance.similarity(query, p.vector()));
            if (heap.size() < k) {
                heap.add(c);
            } else if (BEST_FIRST.compare(c, heap.peek()) < 0) {
                heap.poll();
                heap.add(c);
            }
        }
        List<Candidate> best = new ArrayList<>(heap);
        best.sort(BEST_FIRST);
        List<ScoredPoint> out = new ArrayList<>(best.size());
        for (Candidate c : best) {
            out.add(new ScoredPoint(c.point, distance.postprocess(c.similarity)));
        }
        return out;
    }

    @Override
    public Map<String, PayloadIndexSpec> payloadIndexes() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(indexes));
    }

    @Override
    public long indexedPoints(String key) {
        PayloadIndexSpec indexSpec = indexes.get(key);
        if (indexSpec == null) {
            return 0;
        }
        JsonPath path = JsonPath.parse(key);
        long n = 0;
        for (StoredPoint p : points.values()) {
            if (indexSpec.hasValue(path.get(p.payload()))) {
                n++;
            }
        }
        return n;
    }

    @Override
    public long size() {
        return points.size();
    }

    @Override
    public long indexedVectors() {
        return 0;
    }

    @Override
    public int segments() {
        return 1;
    }

    private static boolean matches(Filter filter, StoredPoint p) {
        return FilterMatcher.matches(filter, p.id(), p.payload(), true);
    }
}
