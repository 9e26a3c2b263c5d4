package io.vectormemory.qdrant.store;

import io.qdrant.client.QdrantClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The point counts of the default collections, for growth gauges. A reading returns the last known value and,
 * when that is older than {@link #MAX_AGE}, refreshes it in the background: readers never wait for Qdrant, and
 * an idle process that nobody reads makes no calls of its own.
 */
public final class CollectionSizes {
    static final Duration MAX_AGE = Duration.ofSeconds(15);

    private final QdrantClient client;
    private final Duration deadline;
    private final Map<String, AtomicLong> points = new LinkedHashMap<>(); // filled once, by the constructor
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long refreshedNanos = System.nanoTime() - MAX_AGE.toNanos() - 1;

    public CollectionSizes(QdrantClient client, Duration deadline, List<String> collections) {
        this.client = client;
        this.deadline = deadline;
        for (String name : collections) {
            points.put(name, new AtomicLong(-1));
        }
    }

    /** The collections counted, in the order given. */
    public List<String> collections() {
        return List.copyOf(points.keySet());
    }

    /** The last known point count of a counted collection, -1 until Qdrant has answered. */
    public long points(String collection) {
        AtomicLong value = points.get(collection);
        if (value == null) {
            throw new IllegalArgumentException("not a counted collection: " + collection);
        }
        return read(value);
    }

    /** Records a count seen by a request (health, collection info), which also keeps the gauge fresh. */
    public void record(String collection, long count) {
        AtomicLong value = points.get(collection);
        if (value != null) {
            value.set(count);
        }
    }

    private long read(AtomicLong value) {
        if (System.nanoTime() - refreshedNanos > MAX_AGE.toNanos() && refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("collection-sizes").start(this::refresh);
        }
        return value.get();
    }

    private void refresh() {
        try {
            for (Map.Entry<String, AtomicLong> e : points.entrySet()) {
                try {
                    long count = client.getCollectionInfoAsync(e.getKey(), deadline)
                            .get(deadline.toMillis() + 100, TimeUnit.MILLISECONDS).getPointsCount();
                    e.getValue().set(count);
                } catch (Exception ignored) {
                    // Qdrant unreachable or collection not created yet: keep the last value.
                    if (ignored instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } finally {
            refreshedNanos = System.nanoTime();
            refreshing.set(false);
        }
    }
}
