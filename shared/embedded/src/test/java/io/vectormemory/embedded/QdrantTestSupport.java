package io.vectormemory.embedded;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One server per test class, reached with the real Qdrant Java client over gRPC: in memory, or with
 * the persistent Lucene storage in a temporary directory for classes annotated {@link LuceneStorage}.
 */
abstract class QdrantTestSupport {

    /** Runs the inherited tests against the persistent Lucene storage. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface LuceneStorage {
    }

    private static final AtomicInteger COLLECTIONS = new AtomicInteger();

    static EmbeddedQdrant server;
    static QdrantClient client;
    private static Path dataDir;

    @BeforeAll
    static void startServer(TestInfo test) throws Exception {
        EmbeddedQdrant.Options options = EmbeddedQdrant.Options.inMemory();
        if (test.getTestClass().orElseThrow().isAnnotationPresent(LuceneStorage.class)) {
            dataDir = Files.createTempDirectory("embedded-qdrant-test");
            options = EmbeddedQdrant.Options.persistent(dataDir);
        }
        server = EmbeddedQdrant.start(options);
        client = client(server.port(), null);
    }

    @AfterAll
    static void stopServer() throws Exception {
        client.close();
        server.close();
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            dataDir = null;
        }
    }

    static QdrantClient client(int port, String apiKey) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(channel, true, false)
                .withTimeout(Duration.ofSeconds(5));
        if (apiKey != null) {
            builder.withApiKey(apiKey);
        }
        return new QdrantClient(builder.build());
    }

    /** A fresh collection with a unique name. */
    static String newCollection(int size, Distance distance) throws Exception {
        String name = "c" + COLLECTIONS.incrementAndGet();
        await(client.createCollectionAsync(name, VectorParams.newBuilder().setSize(size).setDistance(distance).build()));
        return name;
    }

    static PointStruct point(long id, float[] vector, Map<String, Value> payload) {
        return PointStruct.newBuilder().setId(id(id)).setVectors(vectors(vector)).putAllPayload(payload).build();
    }

    static <T> T await(ListenableFuture<T> future) throws Exception {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("call timed out", e);
        }
    }

    /** Expects the call to fail with a gRPC status; returns it. */
    static Status failure(ListenableFuture<?> future) throws Exception {
        try {
            await(future);
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        fail("expected a gRPC error");
        return null;
    }

    static void assertStatus(Status status, Status.Code code, String description) {
        assertEquals(code, status.getCode(), () -> "code of " + status);
        assertEquals(description, status.getDescription());
    }

    static float[] f(float... values) {
        return values;
    }
}
