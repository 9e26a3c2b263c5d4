package io.vectormemory.embedded;

import io.qdrant.client.QdrantClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The persistent Lucene storage against the exact in-memory reference: at least 200 seeded random
 * sequences of writes, searches (random filters, thresholds, offsets, exact and HNSW plans), scrolls
 * with paging, counts and retrieves through the real client, run eight at a time (each on its own
 * collection). {@code -Dcongruence.seed=N} reproduces a run, {@code -Dcongruence.sequences=N} sizes it.
 */
class CongruenceTest {

    private static final long SEED = Long.getLong("congruence.seed", 20260101L);
    private static final int SEQUENCES = Integer.getInteger("congruence.sequences", 200);
    private static final int OPERATIONS = 40;
    /** Sequences at a time: writers waiting for journal flushes leave the CPUs idle otherwise. */
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    @Test
    void randomSequencesAgreeWithTheExactReference() throws Exception {
        Congruence.Stats stats = new Congruence.Stats();
        try (EmbeddedQdrant lucene = EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir));
             EmbeddedQdrant reference = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory());
             QdrantClient luceneClient = QdrantTestSupport.client(lucene.port(), null);
             QdrantClient referenceClient = QdrantTestSupport.client(reference.port(), null)) {
            List<Congruence.Backend> backends = List.of(new Congruence.Backend("lucene", luceneClient),
                    new Congruence.Backend("memory", referenceClient));
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (long seed : Congruence.seeds(SEED, SEQUENCES)) {
                    runs.add(pool.submit(() -> {
                        new Congruence.Sequence(seed, () -> backends, stats).run(OPERATIONS, null);
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get(10, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        System.out.println("Congruence lucene vs memory (seed " + SEED + "): " + stats);
    }

    /** Sequences with a restart of the Lucene server in the middle: a crash (halt) or a clean stop, alternately. */
    @Test
    void randomSequencesAgreeAcrossRestarts() throws Exception {
        Congruence.Stats stats = new Congruence.Stats();
        int n = 0;
        for (long seed : Congruence.seeds(SEED + 1, 12)) {
            boolean crash = n++ % 2 == 0;
            EmbeddedQdrant[] lucene = {EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir))};
            QdrantClient[] luceneClient = {QdrantTestSupport.client(lucene[0].port(), null)};
            try (EmbeddedQdrant reference = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory());
                 QdrantClient referenceClient = QdrantTestSupport.client(reference.port(), null)) {
                Congruence.Backend memory = new Congruence.Backend("memory", referenceClient);
                new Congruence.Sequence(seed, () -> List.of(new Congruence.Backend("lucene", luceneClient[0]), memory),
                        stats).run(OPERATIONS, () -> {
                    luceneClient[0].close();
                    if (crash) {
                        lucene[0].halt();
                    } else {
                        lucene[0].close();
                    }
                    try {
                        lucene[0] = EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    luceneClient[0] = QdrantTestSupport.client(lucene[0].port(), null);
                });
            } finally {
                luceneClient[0].close();
                lucene[0].close();
            }
        }
        System.out.println("Congruence across restarts (seed " + (SEED + 1) + "): " + stats);
    }
}
