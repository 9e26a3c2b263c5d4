package io.vectormemory.qdrant.connection;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.vectormemory.embedded.EmbeddedQdrant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API key reaches a backend that requires it, without handing each call to another thread. */
class ApiKeyCredentialsTest {
    private static final String KEY = "credentials-test-key-0123456789abcdef";
    private static final AtomicInteger offloaded = new AtomicInteger();
    private static final ExecutorService offload = Executors.newSingleThreadExecutor();
    private static EmbeddedQdrant qdrant;

    @BeforeAll
    static void start() throws Exception {
        qdrant = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory().withApiKey(KEY));
    }

    @AfterAll
    static void stop() {
        qdrant.close();
        offload.shutdownNow();
    }

    @Test
    void theKeyIsSentWithoutAThreadHandOff() throws Exception {
        int handOffs = calls(client().withCallCredentials(new ApiKeyCredentials(KEY)), 20);
        assertEquals(0, handOffs, "calls handed to the channel's offload executor");
    }

    @Test
    void theClientsOwnCredentialsHandEveryCallOff() throws Exception {
        // What ApiKeyCredentials replaces: shows that the count above can fail.
        int handOffs = calls(client().withApiKey(KEY), 20);
        assertTrue(handOffs >= 20, "the library's credentials used the offload executor " + handOffs + " times");
    }

    @Test
    void aWrongKeyIsRefused() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> calls(client().withCallCredentials(new ApiKeyCredentials("wrong-key")), 1));
        StatusRuntimeException status = assertInstanceOf(StatusRuntimeException.class, e.getCause());
        assertEquals(Status.Code.UNAUTHENTICATED, status.getStatus().getCode());
    }

    @Test
    void itsTextNeverShowsTheKey() {
        assertFalse(new ApiKeyCredentials(KEY).toString().contains(KEY));
    }

    /** A client on a channel configured like the functions' own, whose offload executor counts its tasks. */
    private static QdrantGrpcClient.Builder client() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", qdrant.port())
                .usePlaintext()
                .directExecutor()
                .offloadExecutor(task -> {
                    offloaded.incrementAndGet();
                    offload.execute(task);
                })
                .build();
        return QdrantGrpcClient.newBuilder(channel, true, false);
    }

    /** Makes {@code count} calls that need the key; returns how many tasks went to the offload executor. */
    private static int calls(QdrantGrpcClient.Builder builder, int count) throws Exception {
        try (QdrantClient client = new QdrantClient(builder.build())) {
            client.listCollectionsAsync().get(10, TimeUnit.SECONDS); // connected: the channel's set-up is not counted
            offloaded.set(0);
            for (int i = 0; i < count; i++) {
                client.listCollectionsAsync().get(10, TimeUnit.SECONDS);
            }
            return offloaded.get();
        }
    }
}
