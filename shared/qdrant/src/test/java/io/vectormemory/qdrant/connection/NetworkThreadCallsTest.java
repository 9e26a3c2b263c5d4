package io.vectormemory.qdrant.connection;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.vectormemory.embedded.EmbeddedQdrant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unary calls run on the connection's network thread, real client over real gRPC to the embedded backend. */
class NetworkThreadCallsTest {
    private static EmbeddedQdrant qdrant;

    private final NioEventLoopGroup network = new NioEventLoopGroup(1, new DefaultThreadFactory("test-network", true));
    private final Set<String> threads = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws Exception {
        qdrant = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory());
    }

    @AfterAll
    static void stop() {
        qdrant.close();
    }

    @AfterEach
    void stopNetwork() {
        network.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aCallIsStartedAndSentOnTheNetworkThread() throws Exception {
        try (QdrantClient client = client(new Recorder(false), new NetworkThreadCalls(network.next()))) {
            for (int i = 0; i < 5; i++) {
                assertTrue(client.listCollectionsAsync().get(10, TimeUnit.SECONDS).isEmpty());
            }
        }
        assertEquals(1, threads.size(), "threads that started calls: " + threads);
        assertTrue(threads.iterator().next().startsWith("test-network"), "started on " + threads);
    }

    @Test
    void withoutItCallsStartOnTheCallersThread() throws Exception {
        // Shows the test above can fail: the recorder sees the caller's thread.
        try (QdrantClient client = client(new Recorder(false))) {
            client.listCollectionsAsync().get(10, TimeUnit.SECONDS);
        }
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
    }

    @Test
    void aCallThatCannotStartFailsItsCallerInsteadOfHanging() throws Exception {
        try (QdrantClient client = client(new Recorder(true), new NetworkThreadCalls(network.next()))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.listCollectionsAsync().get(10, TimeUnit.SECONDS));
            StatusRuntimeException status = assertInstanceOf(StatusRuntimeException.class, e.getCause());
            assertEquals(Status.Code.INTERNAL, status.getStatus().getCode());
        }
    }

    /** Interceptors as the builder takes them: the last one listed is the first to see a call. */
    private QdrantClient client(ClientInterceptor... interceptors) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", qdrant.port())
                .eventLoopGroup(network)
                .channelType(NioSocketChannel.class)
                .usePlaintext()
                .directExecutor()
                .intercept(List.of(interceptors))
                .build();
        return new QdrantClient(QdrantGrpcClient.newBuilder(channel, true, false).build());
    }

    /** Records which thread starts each call; optionally fails the start, as a broken call would. */
    private final class Recorder implements ClientInterceptor {
        private final boolean failStart;

        Recorder(boolean failStart) {
            this.failStart = failStart;
        }

        @Override
        public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<A> listener, Metadata headers) {
                    threads.add(Thread.currentThread().getName());
                    if (failStart) {
                        throw new IllegalStateException("refused to start");
                    }
                    super.start(listener, headers);
                }
            };
        }
    }
}
