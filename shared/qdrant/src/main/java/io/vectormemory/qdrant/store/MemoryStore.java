package io.vectormemory.qdrant.store;

import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.vectormemory.qdrant.calls.CollectionMissingException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static io.qdrant.client.WithPayloadSelectorFactory.enable;

/**
 * User memories: the memories collection and its namespace collections ({@code <memories>_<namespace>}).
 * <p>
 * The collection policy, in one place:
 * <ul>
 * <li>A write creates its collection (with indexes) if needed, and once more if it was deleted behind our
 * back.</li>
 * <li>A read goes straight to Qdrant, without first asking whether the collection exists (that round trip made
 * every cold start's first search slower). A namespace nobody has written to yet reads as empty; so does the
 * default collection, which is then created.</li>
 * </ul>
 */
public final class MemoryStore {
    private final CollectionCatalog catalog;
    private final QdrantPoints points;

    public MemoryStore(CollectionCatalog catalog, QdrantPoints points) {
        this.catalog = catalog;
        this.points = points;
    }

    /** The collection of a namespace (null or blank: the default one); invalid names are refused. */
    public String collection(String namespace) {
        return catalog.memories(namespace);
    }

    /** The default memories collection. */
    public String defaultCollection() {
        return catalog.memories();
    }

    /** A memory as stored: keyed by the platform's string id, which is also kept as {@code _point_id}. */
    public PointStruct point(String id, float[] vector, Map<String, Value> payload) {
        return points.point(id, vector, payload);
    }

    /** Stores memories in one collection, in chunks. */
    public void upsert(String collection, List<PointStruct> memories) {
        upsert(Map.of(collection, memories));
    }

    /**
     * Stores memories in several collections. Every collection is made sure of first, so a namespace that is
     * refused (too many namespaces) fails the whole write before anything is stored.
     */
    public void upsert(Map<String, List<PointStruct>> byCollection) {
        for (String collection : byCollection.keySet()) {
            catalog.ensure(collection, CollectionKind.MEMORIES);
        }
        byCollection.forEach((collection, memories) -> {
            for (int attempt = 0; ; attempt++) {
                try {
                    catalog.ensure(collection, CollectionKind.MEMORIES);
                    points.upsertInChunks(collection, memories);
                    return;
                } catch (CollectionMissingException e) {
                    catalog.forget(collection);
                    if (attempt > 0) {
                        throw e;
                    }
                }
            }
        });
    }

    /** The active memories of a user (of one category when given) nearest to the vector. */
    public List<ScoredPoint> search(String collection, float[] vector, long userId, String category, long limit,
                                    float minScore) {
        return read(collection, List::of,
                () -> points.search(collection, vector, Filters.activeMemories(userId, category), limit, minScore));
    }

    /** One page of a user's active memories (of one category when given), in id order, from {@code offset}. */
    public ScrollResponse scroll(String collection, long userId, String category, int limit, PointId offset) {
        return read(collection, ScrollResponse::getDefaultInstance, () -> points.scroll(collection,
                Filters.activeMemories(userId, category), limit, offset, enable(true)));
    }

    /** The memory a platform id names, without its vector. */
    public Optional<RetrievedPoint> find(String collection, String id) {
        return read(collection, Optional::empty, () -> points.find(collection, id, false));
    }

    /** Deletes the memory a platform id names; an unknown id is not an error. */
    public void delete(String collection, String id) {
        read(collection, () -> null, () -> {
            points.delete(collection, id);
            return null;
        });
    }

    /** Deletes every memory of a user, active or not, and returns how many there were. */
    public long deleteUser(String collection, long userId) {
        return read(collection, () -> 0L, () -> points.deleteCounted(collection, Filters.memoriesOfUser(userId)));
    }

    /** The collection's status and counts; empty when it does not exist (the default one is created first). */
    public Optional<CollectionInfo> info(String collection) {
        if (collection.equals(catalog.memories())) {
            catalog.ensure(collection, CollectionKind.MEMORIES);
        }
        try {
            return Optional.of(catalog.info(collection));
        } catch (CollectionMissingException e) {
            return Optional.empty();
        }
    }

    private <T> T read(String collection, Supplier<T> whenMissing, Supplier<T> call) {
        try {
            return call.get();
        } catch (CollectionMissingException e) {
            catalog.forget(collection);
            if (collection.equals(catalog.memories())) {
                catalog.ensure(collection, CollectionKind.MEMORIES);
            }
            return whenMissing.get();
        }
    }
}
