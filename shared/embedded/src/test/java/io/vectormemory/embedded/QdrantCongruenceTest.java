package io.vectormemory.embedded;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The embedded server (Lucene storage, and the in-memory reference) against a real Qdrant: random
 * sequences as in {@link CongruenceTest}, with the container as the reference every result is compared
 * with. Skipped where there is no Docker. The image is the one pinned in the root pom
 * ({@code qdrant.image}), handed over by Surefire.
 */
@Testcontainers(disabledWithoutDocker = true)
class QdrantCongruenceTest {

    private static final long SEED = Long.getLong("congruence.seed", 20260101L);
    private static final int SEQUENCES = Integer.getInteger("congruence.containerSequences", 60);

    @Container
    private static final QdrantContainer QDRANT = new QdrantContainer(image());

    private static String image() {
        String image = System.getProperty("qdrant.image");
        if (image == null || image.isBlank()) {
            throw new IllegalStateException("system property qdrant.image is not set (Surefire sets it from the pom)");
        }
        return image;
    }

    @TempDir
    Path dir;

    @Test
    void randomSequencesAgreeWithQdrant() throws Exception {
        Congruence.Stats stats = new Congruence.Stats();
        try (EmbeddedQdrant lucene = EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir));
             EmbeddedQdrant memory = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory());
             QdrantClient luceneClient = QdrantTestSupport.client(lucene.port(), null);
             QdrantClient memoryClient = QdrantTestSupport.client(memory.port(), null);
             QdrantClient qdrantClient = new QdrantClient(QdrantGrpcClient.newBuilder(QDRANT.getHost(),
                     QDRANT.getGrpcPort(), false).withTimeout(Duration.ofSeconds(30)).build())) {
            List<Congruence.Backend> backends = List.of(new Congruence.Backend("lucene", luceneClient),
                    new Congruence.Backend("memory", memoryClient), new Congruence.Backend("qdrant", qdrantClient));
            for (long seed : Congruence.seeds(SEED + 2, SEQUENCES)) {
                // Qdrant accepts full_scan_threshold from 10 (KB) on
                new Congruence.Sequence(seed, () -> backends, stats, 10).run(40, null);
            }
        }
        System.out.println("Congruence lucene and memory vs Qdrant " + image() + " (seed " + (SEED + 2) + "): " + stats);
    }
}
