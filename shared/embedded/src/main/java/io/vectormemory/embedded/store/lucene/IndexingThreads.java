package io.vectormemory.embedded.store.lucene;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads shared by all collections for the CPU-heavy part of writes: building HNSW graphs, while
 * points are added (a large upsert is split over them) and when segments are merged.
 */
final class IndexingThreads {

    static final int COUNT = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final AtomicInteger NUMBER = new AtomicInteger();

    /** For adding documents. */
    static final ExecutorService POOL = pool("lucene-indexing-");

    /** For merging graphs (separate: an add may wait for merges when they fall behind). */
    static final ExecutorService MERGES = pool("lucene-merging-");

    private static ExecutorService pool(String name) {
        return Executors.newFixedThreadPool(COUNT, r -> {
            Thread t = new Thread(r, name + NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** An upsert is split over the threads only when each part gets at least this many points. */
    static final int MIN_POINTS_PER_THREAD = 16;

    private IndexingThreads() {
    }
}
