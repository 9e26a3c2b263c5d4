package io.vectormemory.embedded;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vectormemory.embedded.engine.Engine;
import io.vectormemory.embedded.grpc.ApiKeyInterceptor;
import io.vectormemory.embedded.grpc.CollectionsService;
import io.vectormemory.embedded.grpc.HealthService;
import io.vectormemory.embedded.grpc.PointsService;
import io.vectormemory.embedded.grpc.QdrantService;
import io.vectormemory.embedded.store.memory.InMemoryCollectionStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * A gRPC server speaking the Qdrant protocol (the services {@code qdrant.Qdrant},
 * {@code qdrant.Collections}, {@code qdrant.Points} and {@code grpc.health.v1.Health}) on top of
 * an in-memory store, optionally made durable by an operation journal in a data directory.
 *
 * <pre>{@code
 * try (EmbeddedQdrant qdrant = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory())) {
 *     ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", qdrant.port()).usePlaintext().build();
 *     ...
 * }
 * }</pre>
 */
public final class EmbeddedQdrant implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedQdrant.class.getName());

    /** Large enough for upserts of 1000 points with 1024-dimensional vectors. */
    public static final int MAX_INBOUND_MESSAGE_SIZE = 64 * 1024 * 1024;

    /** Name of the journal file inside the data directory. */
    public static final String JOURNAL_FILE = "operations.journal";

    private static final long SHUTDOWN_GRACE_SECONDS = 10;

    /**
     * How to run the server.
     *
     * @param bindAddress address to listen on ({@code 127.0.0.1} in-process, {@code 0.0.0.0} standalone)
     * @param port        port to listen on; 0 picks a free one (see {@link #port()})
     * @param dataDir     directory for durable data; null keeps everything in memory only
     * @param apiKey      API key every call must present; null (or blank) disables authentication
     */
    public record Options(String bindAddress, int port, Path dataDir, String apiKey) {

        /** Loopback (in-process use) with the given port, data directory and API key. */
        public Options(int port, Path dataDir, String apiKey) {
            this("127.0.0.1", port, dataDir, apiKey);
        }

        public Options {
            Objects.requireNonNull(bindAddress, "bindAddress");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (apiKey != null && apiKey.isBlank()) {
                apiKey = null;
            }
        }

        /** Loopback, ephemeral port, memory only, no API key. */
        public static Options inMemory() {
            return new Options("127.0.0.1", 0, null, null);
        }

        /** Loopback, ephemeral port, data journaled in {@code dataDir}, no API key. */
        public static Options persistent(Path dataDir) {
            return new Options("127.0.0.1", 0, Objects.requireNonNull(dataDir, "dataDir"), null);
        }

        /** All interfaces, for the standalone server. */
        public static Options standalone(int port, Path dataDir, String apiKey) {
            return new Options("0.0.0.0", port, dataDir, apiKey);
        }

        public Options withPort(int newPort) {
            return new Options(bindAddress, newPort, dataDir, apiKey);
        }

        public Options withDataDir(Path newDataDir) {
            return new Options(bindAddress, port, newDataDir, apiKey);
        }

        public Options withApiKey(String newApiKey) {
            return new Options(bindAddress, port, dataDir, newApiKey);
        }

        public Options withBindAddress(String newBindAddress) {
            return new Options(newBindAddress, port, dataDir, apiKey);
        }

        /** Never shows the key itself. */
        @Override
        public String toString() {
            return "Options[bindAddress=" + bindAddress + ", port=" + port + ", dataDir=" + dataDir
                    + ", apiKey=" + (apiKey == null ? "none" : "***") + "]";
        }
    }

    private final Options options;
    private final Engine engine;
    private final Server server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedQdrant(Options options, Engine engine, Server server) {
        this.options = options;
        this.engine = engine;
        this.server = server;
    }

    /**
     * Starts a server. With a data directory, the journal in it is replayed first.
     *
     * @throws IOException if the data directory cannot be used or the port cannot be bound
     */
    public static EmbeddedQdrant start(Options options) throws IOException {
        Path journal = options.dataDir() == null ? null : options.dataDir().resolve(JOURNAL_FILE);
        Engine engine = Engine.open(new InMemoryCollectionStore(), journal);
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(options.bindAddress(), options.port()))
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
                .addService(new QdrantService())
                .addService(new HealthService())
                .addService(new CollectionsService(engine))
                .addService(new PointsService(engine));
        if (options.apiKey() != null) {
            builder.intercept(new ApiKeyInterceptor(options.apiKey()));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
        EmbeddedQdrant qdrant = new EmbeddedQdrant(options, engine, server);
        LOG.info(() -> "Embedded Qdrant (protocol of Qdrant " + Engine.QDRANT_VERSION + ") listening on "
                + options.bindAddress() + ":" + qdrant.port()
                + ", data dir: " + (options.dataDir() == null ? "none (memory only)"
                : options.dataDir().toAbsolutePath().normalize())
                + ", API key required: " + (options.apiKey() == null ? "no" : "yes"));
        return qdrant;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getPort();
    }

    public Options options() {
        return options;
    }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /**
     * Graceful shutdown: stops accepting calls, lets running calls finish (up to 10 s), then
     * closes the storage (journal flushed and unlocked). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.shutdown();
        try {
            if (!server.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            engine.close();
        }
    }
}
