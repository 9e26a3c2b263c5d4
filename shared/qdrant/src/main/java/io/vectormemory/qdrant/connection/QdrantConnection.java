package io.vectormemory.qdrant.connection;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.vectormemory.qdrant.settings.QdrantSettings;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one Qdrant client of a process, on a channel we own: a deadline on every call, the API key as call
 * metadata, TLS for {@code https://}, and no compatibility check (it would block startup on a round trip).
 * Calls go round-robin over every address Qdrant's host name resolves to: through a headless Service, one
 * connection per ready Qdrant node, so every node coordinates its share of the calls (a ClusterIP Service or a
 * single host resolves to one address, and then this is a single connection as before).
 */
public final class QdrantConnection implements AutoCloseable {
    private static final long RECONNECT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How often the host name is looked up again for nodes that came or went. */
    static final Duration ADDRESS_WATCH_INTERVAL = Duration.ofSeconds(30);

    private final EventLoopGroup network;
    private final ManagedChannel channel;
    private final QdrantClient client;
    private final AddressWatch addressWatch;
    private final AtomicLong lastReconnect = new AtomicLong(System.nanoTime() - RECONNECT_INTERVAL_NANOS);

    private QdrantConnection(EventLoopGroup network, ManagedChannel channel, QdrantClient client,
                             AddressWatch addressWatch) {
        this.network = network;
        this.channel = channel;
        this.client = client;
        this.addressWatch = addressWatch;
    }

    public static QdrantConnection open(QdrantSettings settings) {
        return open(settings, ADDRESS_WATCH_INTERVAL);
    }

    static QdrantConnection open(QdrantSettings settings, Duration addressWatchInterval) {
        URI url = settings.url();
        int port = url.getPort() > 0 ? url.getPort() : 6334;
        // One network thread of our own (a connection per Qdrant node needs no more), so calls can be started on it.
        DefaultThreadFactory threads = new DefaultThreadFactory("qdrant-network", true);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup network = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(url.getHost(), port)
                .eventLoopGroup(network)
                .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .intercept(new NetworkThreadCalls(network.next()))
                .maxInboundMessageSize(64 << 20)
                // Every address of the host name, i.e. every ready Qdrant node behind a headless Service.
                .defaultLoadBalancingPolicy("round_robin")
                // Answers complete the caller's future right on the network thread instead of hopping to a
                // pool thread first: nothing runs there but the client's own cheap response mapping.
                .directExecutor()
                // Keep the connection warm between requests, so a request after a quiet period does not
                // pay for a reconnect.
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true);
        if (settings.tls()) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        ManagedChannel channel = builder.build();
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(channel, true, false)
                .withTimeout(Duration.ofMillis(settings.timeoutMillis()));
        settings.apiKey().ifPresent(key -> grpc.withCallCredentials(new ApiKeyCredentials(key)));
        AddressWatch watch = AddressWatch.start(url.getHost(), channel, addressWatchInterval);
        return new QdrantConnection(network, channel, new QdrantClient(grpc.build()), watch);
    }

    public QdrantClient client() {
        return client;
    }

    /**
     * Asks the channel to dial Qdrant now instead of after its backoff, at most a few times a second. After a
     * failure gRPC waits an exponential backoff (up to two minutes) before it dials again; callers that find
     * Qdrant unavailable cut that short, so the functions are back within about a second of Qdrant.
     */
    public void reconnectSoon() {
        long now = System.nanoTime();
        long last = lastReconnect.get();
        if (now - last >= RECONNECT_INTERVAL_NANOS && lastReconnect.compareAndSet(last, now)) {
            channel.resetConnectBackoff();
        }
    }

    @Override
    public void close() {
        if (addressWatch != null) {
            addressWatch.stop();
        }
        client.close();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.shutdownNow();
        network.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
