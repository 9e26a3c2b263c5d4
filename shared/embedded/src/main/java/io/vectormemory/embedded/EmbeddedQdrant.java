package io.vectormemory.embedded;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vectormemory.embedded.engine.Engine;
import io.vectormemory.embedded.grpc.ApiKeyInterceptor;
import io.vectormemory.embedded.grpc.ClusterFaults;
import io.vectormemory.embedded.grpc.CollectionsService;
import io.vectormemory.embedded.grpc.HealthService;
import io.vectormemory.embedded.grpc.PointsService;
import io.vectormemory.embedded.grpc.QdrantService;
import io.vectormemory.embedded.store.CollectionStore;
import io.vectormemory.embedded.store.lucene.LuceneCollectionStore;
import io.vectormemory.embedded.store.memory.InMemoryCollectionStore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A gRPC server speaking the Qdrant protocol (the services {@code qdrant.Qdrant},
 * {@code qdrant.Collections}, {@code qdrant.Points} and {@code grpc.health.v1.Health}).
 *
 * <p>Without a data directory everything is kept in memory. With one (the default
 * {@link Storage#LUCENE}), collections live in Lucene indexes under {@code collections/} and every
 * write is first appended to the write-ahead journal under {@code journal/} and flushed to disk
 * before it is acknowledged; see {@link Engine} for group commit, checkpoints and recovery. Lucene's
 * vector search is much faster with {@code --add-modules jdk.incubator.vector} on the JVM's command
 * line; the start-up log says whether it is on.
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

    /** The journal file of the first release (in-memory store + journal); imported once when found. */
    public static final String LEGACY_JOURNAL_FILE = "operations.journal";

    /** Write-ahead journal directory inside the data directory. */
    public static final String JOURNAL_DIR = "journal";

    /** Collection indexes inside the data directory. */
    public static final String COLLECTIONS_DIR = "collections";

    /**
     * How often collections with new writes are committed to their indexes (and the journal
     * shortened): Qdrant's default {@code flush_interval_sec}. System property
     * {@code embedded.checkpointIntervalMs} overrides it.
     */
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

    /** Where collections are kept. */
    public enum Storage {
        /** Memory only; nothing survives the process. */
        MEMORY,
        /** In memory, rebuilt at start from the full journal in the data directory (the first release's design). */
        JOURNALED_MEMORY,
        /** Lucene indexes plus the journal in the data directory: persistent, crash-safe, HNSW search. */
        LUCENE
    }

    private static final long SHUTDOWN_GRACE_SECONDS = 10;

    /**
     * How to run the server.
     *
     * @param bindAddress address to listen on ({@code 127.0.0.1} unless the standalone server is told otherwise)
     * @param port        port to listen on; 0 picks a free one (see {@link #port()})
     * @param dataDir     directory for durable data; null keeps everything in memory only
     * @param apiKey      API key every call must present; null (or blank) disables authentication
     * @param storage     where collections are kept; null: {@link Storage#LUCENE} with a data directory,
     *                    {@link Storage#MEMORY} without
     */
    public record Options(String bindAddress, int port, Path dataDir, String apiKey, Storage storage) {

        /** Default storage for the data directory. */
        public Options(String bindAddress, int port, Path dataDir, String apiKey) {
            this(bindAddress, port, dataDir, apiKey, null);
        }

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
            if (storage != null && storage != Storage.MEMORY && dataDir == null) {
                throw new IllegalArgumentException(storage + " needs a data directory");
            }
        }

        /** The storage actually used. */
        public Storage effectiveStorage() {
            return storage != null ? storage : dataDir == null ? Storage.MEMORY : Storage.LUCENE;
        }

        /** Loopback, ephemeral port, memory only, no API key. */
        public static Options inMemory() {
            return new Options("127.0.0.1", 0, null, null);
        }

        /** Loopback, ephemeral port, data persisted in {@code dataDir}, no API key. */
        public static Options persistent(Path dataDir) {
            return new Options("127.0.0.1", 0, Objects.requireNonNull(dataDir, "dataDir"), null);
        }

        /** The standalone server's defaults: loopback ({@link #withBindAddress} to listen beyond it). */
        public static Options standalone(int port, Path dataDir, String apiKey) {
            return new Options("127.0.0.1", port, dataDir, apiKey);
        }

        public Options withPort(int newPort) {
            return new Options(bindAddress, newPort, dataDir, apiKey, storage);
        }

        public Options withDataDir(Path newDataDir) {
            return new Options(bindAddress, port, newDataDir, apiKey, storage);
        }

        public Options withApiKey(String newApiKey) {
            return new Options(bindAddress, port, dataDir, newApiKey, storage);
        }

        public Options withBindAddress(String newBindAddress) {
            return new Options(newBindAddress, port, dataDir, apiKey, storage);
        }

        public Options withStorage(Storage newStorage) {
            return new Options(bindAddress, port, dataDir, apiKey, newStorage);
        }

        /** Never shows the key itself. */
        @Override
        public String toString() {
            return "Options[bindAddress=" + bindAddress + ", port=" + port + ", dataDir=" + dataDir
                    + ", apiKey=" + (apiKey == null ? "none" : "***") + ", storage=" + effectiveStorage() + "]";
        }
    }

    private final Options options;
    private final Engine engine;
    private final Server server;
    private final DataDirectoryLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedQdrant(Options options, Engine engine, Server server, DataDirectoryLock lock) {
        this.options = options;
        this.engine = engine;
        this.server = server;
        this.lock = lock;
    }

    /**
     * Starts a server. With a data directory, its collections are opened and the journal records
     * they do not contain yet are replayed first.
     *
     * @throws IOException if the data directory cannot be used (in use, unreadable, damaged) or the
     *                     port cannot be bound
     */
    public static EmbeddedQdrant start(Options options) throws IOException {
        return start(options, null);
    }

    /**
     * Starts a server in fault mode (for tests): {@code faults} decides which calls get a Qdrant cluster's error
     * answers or late answers, and records every request; null for none.
     */
    public static EmbeddedQdrant start(Options options, ClusterFaults faults) throws IOException {
        long started = System.nanoTime();
        Storage storage = options.effectiveStorage();
        DataDirectoryLock lock = storage == Storage.MEMORY ? null : DataDirectoryLock.acquire(options.dataDir());
        Engine engine;
        try {
            engine = openEngine(options.dataDir(), storage);
        } catch (IOException | RuntimeException e) {
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(options.bindAddress(), options.port()))
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
                // Like Qdrant, accept clients' keepalive pings (the functions ping every 30 s to keep the channel
                // warm): gRPC's default allows one per 5 minutes and answers more with GOAWAY "too_many_pings",
                // which drops the connection under the function.
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(new QdrantService())
                .addService(new HealthService())
                .addService(new CollectionsService(engine))
                .addService(new PointsService(engine));
        if (faults != null) {
            builder.intercept(faults);
        }
        // Added last, so it runs first: a call without the key is refused before any fault applies.
        if (options.apiKey() != null) {
            builder.intercept(new ApiKeyInterceptor(options.apiKey()));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            engine.close();
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
        EmbeddedQdrant qdrant = new EmbeddedQdrant(options, engine, server, lock);
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.info(() -> "Embedded Qdrant (protocol of Qdrant " + Engine.QDRANT_VERSION + ") listening on "
                + options.bindAddress() + ":" + qdrant.port()
                + ", data dir: " + (options.dataDir() == null ? "none (memory only)"
                : options.dataDir().toAbsolutePath().normalize())
                + ", storage: " + storage
                + ", API key required: " + (options.apiKey() == null ? "no" : "yes")
                + (faults == null ? "" : ", cluster fault mode (tests)")
                + ", vector API: " + (vectorApiEnabled() ? "enabled"
                : "disabled (add --add-modules jdk.incubator.vector for faster vector search)")
                + ", started in " + ms + " ms");
        return qdrant;
    }

    /** Whether the JVM has the incubating Vector API Lucene's SIMD code needs. */
    public static boolean vectorApiEnabled() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static Engine openEngine(Path dataDir, Storage storage) throws IOException {
        switch (storage) {
            case MEMORY -> {
                return Engine.open(new InMemoryCollectionStore(), null);
            }
            case JOURNALED_MEMORY -> {
                Engine engine = Engine.open(new InMemoryCollectionStore(), dataDir.resolve(JOURNAL_DIR));
                importLegacyJournal(engine, dataDir);
                return engine;
            }
            default -> {
                Path legacy = dataDir.resolve(LEGACY_JOURNAL_FILE);
                if (Files.exists(legacy)) {
                    // an import that a crash interrupted starts over: the legacy file is the source of truth
                    deleteTree(dataDir.resolve(COLLECTIONS_DIR));
                    deleteTree(dataDir.resolve(JOURNAL_DIR));
                }
                // Lucene picks (and logs) its vector implementation on first use, which takes a while: do it
                // beside the opening of the collections rather than in the first search
                Thread.ofPlatform().daemon().name("lucene-vector-warm-up").start(
                        () -> org.apache.lucene.util.VectorUtil.dotProduct(new float[]{1f}, new float[]{1f}));
                long opening = System.nanoTime();
                CollectionStore store = LuceneCollectionStore.open(dataDir.resolve(COLLECTIONS_DIR));
                long ms = (System.nanoTime() - opening) / 1_000_000;
                LOG.info(() -> "Opened " + store.names().size() + " collections in " + ms + " ms");
                Engine engine;
                try {
                    engine = Engine.open(store, dataDir.resolve(JOURNAL_DIR));
                } catch (IOException | RuntimeException e) {
                    store.close();
                    throw e;
                }
                try {
                    importLegacyJournal(engine, dataDir);
                } catch (IOException | RuntimeException e) {
                    engine.close();
                    throw e;
                }
                long interval = Long.getLong("embedded.checkpointIntervalMs", CHECKPOINT_INTERVAL.toMillis());
                engine.startCheckpoints(Duration.ofMillis(interval));
                return engine;
            }
        }
    }

    /** Imports the first release's journal file once, then renames it to {@code *.imported}. */
    private static void importLegacyJournal(Engine engine, Path dataDir) throws IOException {
        Path legacy = dataDir.resolve(LEGACY_JOURNAL_FILE);
        if (!Files.exists(legacy)) {
            return;
        }
        long records = engine.importLegacyJournal(legacy);
        engine.checkpoint();
        Files.move(legacy, legacy.resolveSibling(LEGACY_JOURNAL_FILE + ".imported"), StandardCopyOption.ATOMIC_MOVE);
        LOG.info(() -> "Imported " + records + " records of " + legacy + " (renamed to " + LEGACY_JOURNAL_FILE
                + ".imported)");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
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
     * Stops at once without the final checkpoint, as if the process had been killed after its last
     * reply (the journal is left as it is; the next start replays it). For recovery tests.
     */
    void halt() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.shutdownNow();
        try {
            server.awaitTermination(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.abandon();
        if (lock != null) {
            lock.close();
        }
    }

    /** Checkpoint now (for tests and benchmarks). */
    void checkpoint() throws IOException {
        engine.checkpoint();
    }

    /**
     * Graceful shutdown: stops accepting calls, lets running calls finish (up to 10 s), then
     * checkpoints (so the next start has no journal to replay) and closes the storage. Idempotent.
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
            try {
                engine.close();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Closing the storage failed", e);
            }
            if (lock != null) {
                lock.close();
            }
        }
    }
}
