package io.vectormemory.embedded.store.lucene;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads shared by all collections for the CPU-heavy part of indexing: building the HNSW graph of a
 * merged segment (writes themselves store vectors without links, see {@link HnswCodec}).
 */
final class IndexingThreads {

    static final int COUNT = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final AtomicInteger NUMBER = new AtomicInteger();

    /** For merging graphs. */
    static final ExecutorService MERGES = Executors.newFixedThreadPool(COUNT, r -> {
        Thread t = new Thread(r, "lucene-merging-" + NUMBER.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /**
     * Writes a collection's buffered documents to a segment before a write would have to (LucenePointStore): one
     * thread, since one flush at a time already keeps the buffers short of their limit.
     */
    static final ExecutorService FLUSHES = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lucene-flushing");
        t.setDaemon(true);
        return t;
    });

    private IndexingThreads() {
    }
}
