package io.vectormemory.qdrant.store;

import io.qdrant.client.grpc.Common.Filter;
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
import java.util.function.Consumer;
import java.util.function.Supplier;

import static io.qdrant.client.WithPayloadSelectorFactory.include;

/**
 * Chunks of user documents, all in the one documents collection. Every operation first makes sure the collection
 * exists (known after the first time, so no extra round trip), and runs once more if it was deleted behind our
 * back.
 */
public final class DocumentStore {
    /** Page size of the aggregation scrolls; only {@code file_id} and {@code group_key} are transferred. */
    static final int AGGREGATION_PAGE = 1000;

    private final CollectionCatalog catalog;
    private final QdrantPoints points;

    public DocumentStore(CollectionCatalog catalog, QdrantPoints points) {
        this.catalog = catalog;
        this.points = points;
    }

    /** A chunk as stored: keyed by the platform's string id, which is also kept as {@code _point_id}. */
    public PointStruct point(String id, float[] vector, Map<String, Value> payload) {
        return points.point(id, vector, payload);
    }

    /** Stores chunks, in chunks of points. */
    public void upsert(List<PointStruct> chunks) {
        call(() -> {
            points.upsertInChunks(collection(), chunks);
            return null;
        });
    }

    /** A user's chunks (of one group when given) nearest to the vector. */
    public List<ScoredPoint> search(float[] vector, long userId, String groupKey, long limit, float minScore) {
        return call(() -> points.search(collection(), vector, Filters.documents(userId, null, groupKey), limit,
                minScore));
    }

    /** The chunk a platform id names, with its vector. */
    public Optional<RetrievedPoint> find(String id) {
        return call(() -> points.find(collection(), id, true));
    }

    /** Deletes the chunk a platform id names; an unknown id is not an error. */
    public void delete(String id) {
        call(() -> {
            points.delete(collection(), id);
            return null;
        });
    }

    /** Deletes a file's chunks and returns how many there were. */
    public long deleteFile(long userId, long fileId) {
        return deleteCounted(Filters.documents(userId, fileId, null));
    }

    /** Deletes a group's chunks and returns how many there were. */
    public long deleteGroup(long userId, String groupKey) {
        return deleteCounted(Filters.documents(userId, null, groupKey));
    }

    /** Deletes every chunk of a user and returns how many there were. */
    public long deleteUser(long userId) {
        return deleteCounted(Filters.documents(userId, null, null));
    }

    /** Moves a file's chunks to another group and returns how many chunks the file has. */
    public long updateGroupKey(long userId, long fileId, String newGroupKey) {
        Filter filter = Filters.documents(userId, fileId, null);
        return call(() -> {
            points.setPayload(collection(), Map.of("group_key",
                    Value.newBuilder().setStringValue(newGroupKey).build()), filter);
            return points.count(collection(), filter);
        });
    }

    /**
     * Every chunk of a user (of one group when given) in id order, with only {@code file_id} and
     * {@code group_key} in its payload: what the statistics need.
     */
    public void forEachChunk(long userId, String groupKey, Consumer<RetrievedPoint> each) {
        Filter filter = Filters.documents(userId, null, groupKey);
        call(() -> {
            PointId offset = null;
            while (true) {
                ScrollResponse page = points.scroll(collection(), filter, AGGREGATION_PAGE, offset,
                        include(List.of("file_id", "group_key")));
                page.getResultList().forEach(each);
                if (!page.hasNextPageOffset() || page.getResultCount() == 0) {
                    return null;
                }
                offset = page.getNextPageOffset();
            }
        });
    }

    private long deleteCounted(Filter filter) {
        return call(() -> points.deleteCounted(collection(), filter));
    }

    private <T> T call(Supplier<T> calls) {
        for (int attempt = 0; ; attempt++) {
            catalog.ensure(collection(), CollectionKind.DOCUMENTS);
            try {
                return calls.get();
            } catch (CollectionMissingException e) {
                catalog.forget(collection());
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private String collection() {
        return catalog.documents();
    }
}
