package io.vectormemory.qdrant.store;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.WriteOrderingType;
import io.vectormemory.qdrant.calls.QdrantBusyException;
import io.vectormemory.qdrant.calls.QdrantCallFailedException;
import io.vectormemory.qdrant.calls.QdrantCalls;
import io.vectormemory.qdrant.settings.QdrantSettings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Knows which collections exist and creates missing ones, race-free, with their payload indexes.
 * A collection seen to exist is remembered, so steady-state requests make no extra round trip
 * (the Rust service listed all collections on every memory upsert).
 *
 * <p>Creating a collection or an index is a schema change: on a cluster it goes through Raft consensus and Qdrant
 * waits for the new replicas, so these calls have a deadline of their own. When it ends first the change may still
 * complete; the next attempt then finds the collection (or Qdrant answers "already exists") and carries on.
 */
public final class CollectionCatalog {
    private static final Logger LOG = Logger.getLogger(CollectionCatalog.class.getName());

    private final QdrantClient client;
    private final QdrantSettings settings;
    private final Duration schemaTimeout;
    private final WriteOrderingType ordering;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    /** One new namespace at a time per process, so that concurrent first writes cannot overshoot the limit. */
    private final ReentrantLock namespaceCreation = new ReentrantLock();

    public CollectionCatalog(QdrantClient client, QdrantSettings settings) {
        this.client = client;
        this.settings = settings;
        this.schemaTimeout = Duration.ofMillis(settings.schemaTimeoutMillis());
        this.ordering = QdrantPoints.orderingType(settings.writeOrdering());
    }

    public String memories() {
        return settings.memoriesCollection();
    }

    public String documents() {
        return settings.documentsCollection();
    }

    /** The memories collection for a request's namespace (null or blank: the default one). */
    public String memories(String namespace) {
        String name = Namespaces.collection(settings.memoriesCollection(), namespace);
        if (name.length() > Namespaces.MAX_COLLECTION_NAME) {
            throw new InvalidNamespaceException("Namespace too long: the collection name would exceed "
                    + Namespaces.MAX_COLLECTION_NAME + " characters");
        }
        return name;
    }

    /**
     * Creates the collection (and its indexes) unless known to exist. Safe when several callers race. A new
     * namespace collection is refused ({@link InvalidNamespaceException}) once {@code QDRANT_MAX_NAMESPACES} exist.
     */
    public void ensure(String name, CollectionKind kind) {
        if (known.contains(name)) {
            return;
        }
        if (!QdrantCalls.await(client.collectionExistsAsync(name))) {
            if (kind == CollectionKind.MEMORIES && isNamespaceCollection(name)) {
                createNamespace(name);
            } else {
                create(name, kind);
            }
        }
        repairIndexes(name, kind);
        known.add(name);
    }

    /** Whether the collection exists; only positive answers are remembered. */
    public boolean exists(String name) {
        if (known.contains(name)) {
            return true;
        }
        boolean exists = QdrantCalls.await(client.collectionExistsAsync(name));
        if (exists) {
            known.add(name);
        }
        return exists;
    }

    /** Forget a collection that Qdrant reported missing (deleted behind our back). */
    public void forget(String name) {
        known.remove(name);
    }

    public CollectionInfo info(String name) {
        return QdrantCalls.await(client.getCollectionInfoAsync(name));
    }

    /**
     * Startup work, run in the background so the port opens at once: make sure the two default
     * collections exist and that every memories/documents collection has its indexes.
     */
    public void bootstrap() {
        try {
            ensure(memories(), CollectionKind.MEMORIES);
            ensure(documents(), CollectionKind.DOCUMENTS);
            List<String> all = QdrantCalls.await(client.listCollectionsAsync());
            for (String name : all) {
                if (isNamespaceCollection(name)) {
                    repairIndexes(name, CollectionKind.MEMORIES);
                    known.add(name);
                }
            }
            LOG.info("Collections ready: " + memories() + ", " + documents());
        } catch (RuntimeException e) {
            // Not fatal: every request ensures its collection again, so the service heals once Qdrant is back.
            LOG.log(Level.WARNING, "Collection bootstrap did not complete: " + e.getMessage());
        }
    }

    /** Whether a collection name is one of a namespace's: {@code <memories>_<namespace>}. */
    private boolean isNamespaceCollection(String name) {
        return name.startsWith(memories() + "_") && !name.equals(documents());
    }

    /** Each namespace is a whole collection (on a cluster: shards × replicas, each with its WAL and segments). */
    private void createNamespace(String name) {
        namespaceCreation.lock();
        try {
            if (QdrantCalls.await(client.collectionExistsAsync(name))) {
                return;
            }
            long existing = QdrantCalls.await(client.listCollectionsAsync()).stream()
                    .filter(this::isNamespaceCollection).count();
            if (existing >= settings.maxNamespaces()) {
                throw new InvalidNamespaceException("Too many namespaces: " + existing + " exist, at most "
                        + settings.maxNamespaces() + " are allowed; write to an existing one");
            }
            create(name, CollectionKind.MEMORIES);
        } finally {
            namespaceCreation.unlock();
        }
    }

    private void create(String name, CollectionKind kind) {
        CreateCollection.Builder request = CreateCollection.newBuilder()
                .setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder()
                        .setSize(settings.vectorDimension())
                        .setDistance(Distance.Cosine)));
        // On a cluster: shards spread over the nodes, replicas survive a node loss.
        QdrantSettings.ClusterLayout layout = settings.clusterLayout();
        layout.shardNumber().ifPresent(request::setShardNumber);
        layout.replicationFactor().ifPresent(request::setReplicationFactor);
        layout.writeConsistencyFactor().ifPresent(request::setWriteConsistencyFactor);
        try {
            QdrantCalls.await(client.createCollectionAsync(request.build(), schemaTimeout));
            LOG.info("Created collection " + name);
        } catch (QdrantCallFailedException | QdrantBusyException e) {
            // Lost a creation race, or an earlier attempt completed after its deadline (Qdrant answers "already
            // exists"), or consensus committed it after Qdrant stopped waiting: fine if it exists now. If not, the
            // failure stands (busy: a cluster still applying it, the client tries again later).
            if (!QdrantCalls.await(client.collectionExistsAsync(name))) {
                throw e;
            }
        }
    }

    private void repairIndexes(String name, CollectionKind kind) {
        Map<String, ?> schema = info(name).getPayloadSchemaMap();
        for (CollectionKind.Index index : kind.indexes()) {
            if (!schema.containsKey(index.field())) {
                QdrantCalls.await(client.createPayloadIndexAsync(name, index.field(), index.type(), index.params(),
                        true, ordering, schemaTimeout));
                LOG.info("Created payload index " + name + "." + index.field());
            }
        }
    }
}
