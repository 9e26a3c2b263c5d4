package io.vectormemory.qdrant;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The backend contract against a real Qdrant, the reference. Skipped where there is no Docker. The image is the
 * one pinned in the root pom ({@code qdrant.image}), handed over by Surefire.
 */
@Testcontainers(disabledWithoutDocker = true)
class QdrantContainerTest extends BackendContract {
    private static final String API_KEY = "container-test-key-0123456789abcdef";

    @Container
    private static final QdrantContainer QDRANT = new QdrantContainer(image()).withApiKey(API_KEY);

    private static String image() {
        String image = System.getProperty("qdrant.image");
        if (image == null || image.isBlank()) {
            throw new IllegalStateException("system property qdrant.image is not set (Surefire sets it from the pom)");
        }
        return image;
    }

    @Override
    protected Backend.Endpoint endpoint() {
        return new Backend.Endpoint(QDRANT.getHost(), QDRANT.getGrpcPort(), API_KEY);
    }

    @Override
    public Backend.Disposable startDisposableBackend() {
        QdrantContainer disposable = new QdrantContainer(image());
        disposable.start();
        Backend.Endpoint endpoint = new Backend.Endpoint(disposable.getHost(), disposable.getGrpcPort(), null);
        return new Backend.Disposable() {
            @Override
            public Backend.Endpoint endpoint() {
                return endpoint;
            }

            @Override
            public void close() {
                disposable.stop(); // idempotent
            }
        };
    }
}
