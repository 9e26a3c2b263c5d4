package io.vectormemory.qdrant;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.vectormemory.qdrant.calls.QdrantCalls;
import io.vectormemory.qdrant.connection.QdrantConnection;
import io.vectormemory.qdrant.settings.PointIdScheme;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.qdrant.settings.WriteOrdering;
import io.vectormemory.qdrant.store.CollectionCatalog;
import io.vectormemory.qdrant.store.CollectionKind;
import io.vectormemory.qdrant.store.PointIds;
import io.vectormemory.qdrant.store.QdrantPoints;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.vectormemory.qdrant.Samples.DIMENSION;
import static io.vectormemory.qdrant.Samples.USER;
import static io.vectormemory.qdrant.Samples.memory;
import static io.vectormemory.qdrant.Samples.spread;

/**
 * The backend under test as the contract uses it: one connection made with the module's own
 * {@link QdrantSettings} and {@link QdrantConnection}, the settings of the contract's leg (e.g. a cluster layout),
 * and collection names of each test's own, all starting with one prefix per run, which {@link #close()} deletes.
 */
final class Backend implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Backend.class.getName());

    /** Where a backend listens; {@code apiKey} null when it needs none; {@code tls} for {@code https://}. */
    record Endpoint(String host, int port, String apiKey, boolean tls) {
        Endpoint(String host, int port, String apiKey) {
            this(host, port, apiKey, false);
        }

        Endpoint withKey(String key) {
            return new Endpoint(host, port, key, tls);
        }

        String url() {
            return (tls ? "https://" : "http://") + host + ":" + port;
        }
    }

    /** A backend of one test's own, which that test stops. */
    interface Disposable extends AutoCloseable {
        Endpoint endpoint();

        @Override
        void close();
    }

    private final Endpoint endpoint;
    private final Map<String, String> legSettings;
    private final QdrantConnection connection;
    private final String prefix;
    private final AtomicInteger sequence = new AtomicInteger();

    private Backend(Endpoint endpoint, Map<String, String> legSettings, QdrantConnection connection, String prefix) {
        this.endpoint = endpoint;
        this.legSettings = Map.copyOf(legSettings);
        this.connection = connection;
        this.prefix = prefix;
    }

    /**
     * Connects with the leg's settings (variables as a function reads them, on top of the contract's own);
     * collection names start with the test class's name and a random tag, so runs never collide.
     */
    static Backend connect(Endpoint endpoint, Class<?> testClass, Map<String, String> legSettings) {
        String prefix = testClass.getSimpleName().toLowerCase().replace("test", "")
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
        QdrantSettings settings = read(endpoint, "unused_mem", "unused_doc", legSettings);
        return new Backend(endpoint, legSettings, QdrantConnection.open(settings), prefix);
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** What every collection of this run starts with. */
    String prefix() {
        return prefix;
    }

    /** The leg's settings for the given collections (and endpoint), with {@code extra} on top. */
    QdrantSettings settings(Endpoint e, String memories, String documents, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(legSettings);
        env.putAll(extra);
        return read(e, memories, documents, env);
    }

    /** The leg's settings on this backend, for collections nobody uses. */
    QdrantSettings settings() {
        return settings(endpoint);
    }

    /** The leg's settings on another endpoint (or key), for collections nobody uses. */
    QdrantSettings settings(Endpoint e) {
        return settings(e, "unused_mem", "unused_doc", Map.of());
    }

    QdrantClient client() {
        return connection.client();
    }

    QdrantConnection connection() {
        return connection;
    }

    /** Collections whose memories and documents collections are new names, used by no other test. */
    CollectionCatalog collections() {
        return collections(Map.of());
    }

    /** The same, with settings of the test's own on top of the leg's (e.g. a namespace limit). */
    CollectionCatalog collections(Map<String, String> extra) {
        String base = prefix + "_" + sequence.incrementAndGet();
        return new CollectionCatalog(client(), settings(endpoint, base + "_mem", base + "_doc", extra));
    }

    /** Another instance over the same names with nothing cached, as in a second process. */
    CollectionCatalog sameNamesAs(CollectionCatalog c) {
        return new CollectionCatalog(client(), settings(endpoint, c.memories(), c.documents(), Map.of()));
    }

    String memoriesCollection() {
        CollectionCatalog c = collections();
        c.ensure(c.memories(), CollectionKind.MEMORIES);
        return c.memories();
    }

    String documentsCollection() {
        CollectionCatalog c = collections();
        c.ensure(c.documents(), CollectionKind.DOCUMENTS);
        return c.documents();
    }

    /** Points with the leg's write ordering. */
    QdrantPoints points(PointIdScheme scheme) {
        return points(client(), scheme, settings().writeOrdering());
    }

    static QdrantPoints points(QdrantClient client, PointIdScheme scheme, WriteOrdering ordering) {
        return new QdrantPoints(client, new PointIds(scheme), ordering);
    }

    /** An active or inactive memory of {@link Samples#USER} in category {@code prefs}, siphash id. */
    PointStruct memoryPoint(String id, float[] vector, boolean active) {
        return points(PointIdScheme.SIPHASH).point(id, vector, memory(USER, "prefs", active));
    }

    /** A point with exactly this id and payload, as another writer might have stored it. */
    static PointStruct rawPoint(PointId id, Map<String, Value> payload) {
        return PointStruct.newBuilder()
                .setId(id)
                .setVectors(VectorsFactory.vectors(spread(0)))
                .putAllPayload(payload)
                .build();
    }

    /** A collection without indexes, as created by someone else (the Rust service, an operator). */
    void createBare(String name) {
        QdrantCalls.await(client().createCollectionAsync(name, VectorParams.newBuilder()
                .setSize(DIMENSION).setDistance(Distance.Cosine).build()));
    }

    static Map<String, PayloadSchemaType> schemaTypes(CollectionInfo info) {
        return info.getPayloadSchemaMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getDataType()));
    }

    /** The platform string ids of search hits, in result order. */
    static List<String> ids(List<ScoredPoint> hits) {
        return hits.stream().map(p -> p.getPayloadMap().get(PointIds.FIELD).getStringValue()).toList();
    }

    /** What a function would read from its environment to talk to this backend. */
    private static QdrantSettings read(Endpoint e, String memories, String documents, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("QDRANT_URL", e.url());
        if (e.apiKey() != null) {
            env.put("QDRANT_API_KEY", e.apiKey());
        }
        env.put("QDRANT_VECTOR_DIMENSION", String.valueOf(DIMENSION));
        env.put("QDRANT_COLLECTION_NAME", memories);
        env.put("QDRANT_DOCUMENTS_COLLECTION_NAME", documents);
        env.putAll(extra);
        return QdrantSettings.from(env);
    }

    /** Deletes every collection of this run (namespaces included), then closes the connection. */
    @Override
    public void close() {
        try {
            for (String name : QdrantCalls.await(client().listCollectionsAsync())) {
                if (name.startsWith(prefix)) {
                    QdrantCalls.await(client().deleteCollectionAsync(name));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not delete the collections of " + prefix + ": " + e);
        } finally {
            connection.close();
        }
    }
}
