package io.vectormemory.embedded.engine;

import io.qdrant.client.grpc.Points;
import io.vectormemory.embedded.model.Distance;
import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.PointId;
import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.ScoredPoint;
import io.vectormemory.embedded.store.SearchParams;
import io.vectormemory.embedded.store.StoredPoint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The point reads of the engine: get, search, query, scroll and count, with Qdrant's parameters,
 * defaults and result order. Each converts and validates its request first, then reads the
 * collection through {@link Engine#read}: under the collection's read lock, answering once the
 * journal records of what it saw are durable.
 */
final class PointReads {

    private final Engine engine;

    PointReads(Engine engine) {
        this.engine = engine;
    }

    Points.GetResponse get(Points.GetPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        List<PointId> ids = Protos.pointIds(r.getIdsList());
        Protos.PayloadSelection payload = Protos.payloadSelection(r.hasWithPayload(), r.getWithPayload(),
                Protos.PayloadSelection.NONE);
        boolean withVectors = Protos.withVectors(r.hasWithVectors(), r.getWithVectors());
        List<Points.RetrievedPoint> result = engine.read(r.getCollectionName(), h -> {
            List<Points.RetrievedPoint> out = new ArrayList<>();
            // in the order asked for, each point once (lib/collection/src/collection/point_ops.rs)
            for (PointId id : new LinkedHashSet<>(ids)) {
                h.store.get(id).ifPresent(p -> out.add(retrieved(p, payload, withVectors)));
            }
            return out;
        });
        return Points.GetResponse.newBuilder().addAllResult(result).setTime(Engine.seconds(start)).build();
    }

    Points.SearchResponse search(Points.SearchPoints r) {
        long start = System.nanoTime();
        List<Points.ScoredPoint> result = searchPoints(r);
        return Points.SearchResponse.newBuilder().addAllResult(result).setTime(Engine.seconds(start)).build();
    }

    Points.SearchBatchResponse searchBatch(Points.SearchBatchPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        Points.SearchBatchResponse.Builder out = Points.SearchBatchResponse.newBuilder();
        for (Points.SearchPoints search : r.getSearchPointsList()) {
            out.addResult(Points.BatchResult.newBuilder().addAllResult(
                    searchPoints(search.toBuilder().setCollectionName(r.getCollectionName()).build())));
        }
        return out.setTime(Engine.seconds(start)).build();
    }

    private List<Points.ScoredPoint> searchPoints(Points.SearchPoints r) {
        Validation.collectionName(r.getCollectionName());
        Validation.atLeastOne("limit", r.getLimit());
        if (r.hasSparseIndices()) {
            throw ApiError.unimplemented("sparse vectors");
        }
        Filter filter = Protos.filter(r.hasFilter(), r.getFilter());
        Protos.PayloadSelection payload = Protos.payloadSelection(r.hasWithPayload(), r.getWithPayload(),
                Protos.PayloadSelection.NONE);
        boolean withVectors = Protos.withVectors(r.hasWithVectors(), r.getWithVectors());
        float[] vector = PointOps.toArray(r.getVectorList());
        String vectorName = r.hasVectorName() ? r.getVectorName() : "";
        SearchParams params = searchParams(r.hasParams(), r.getParams());
        return engine.read(r.getCollectionName(), h -> {
            checkVectorName(vectorName);
            return nearest(h, vector, filter, unsigned(r.getLimit()), r.hasOffset() ? unsigned(r.getOffset()) : 0,
                    r.hasScoreThreshold() ? r.getScoreThreshold() : null, params, payload, withVectors);
        });
    }

    Points.QueryResponse query(Points.QueryPoints r) {
        long start = System.nanoTime();
        List<Points.ScoredPoint> result = queryPoints(r);
        return Points.QueryResponse.newBuilder().addAllResult(result).setTime(Engine.seconds(start)).build();
    }

    Points.QueryBatchResponse queryBatch(Points.QueryBatchPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        Points.QueryBatchResponse.Builder out = Points.QueryBatchResponse.newBuilder();
        for (Points.QueryPoints query : r.getQueryPointsList()) {
            out.addResult(Points.BatchResult.newBuilder().addAllResult(
                    queryPoints(query.toBuilder().setCollectionName(r.getCollectionName()).build())));
        }
        return out.setTime(Engine.seconds(start)).build();
    }

    /**
     * The universal query API, for what this engine supports: no query (points by id, score 0),
     * and {@code nearest} with a dense vector or a point id (whose point is then excluded from
     * the result, lib/collection/src/operations/universal_query/collection_query.rs).
     * Defaults: limit 10, offset 0, no payload, no vectors.
     */
    private List<Points.ScoredPoint> queryPoints(Points.QueryPoints r) {
        Validation.collectionName(r.getCollectionName());
        if (r.hasLimit()) {
            Validation.atLeastOne("limit", r.getLimit());
        }
        if (r.getPrefetchCount() > 0) {
            throw ApiError.unimplemented("prefetch");
        }
        if (r.hasLookupFrom()) {
            throw ApiError.unimplemented("lookup_from");
        }
        Filter filter = Protos.filter(r.hasFilter(), r.getFilter());
        long limit = r.hasLimit() ? unsigned(r.getLimit()) : 10;
        long offset = r.hasOffset() ? unsigned(r.getOffset()) : 0;
        Protos.PayloadSelection payload = Protos.payloadSelection(r.hasWithPayload(), r.getWithPayload(),
                Protos.PayloadSelection.NONE);
        boolean withVectors = Protos.withVectors(r.hasWithVectors(), r.getWithVectors());
        Float threshold = r.hasScoreThreshold() ? r.getScoreThreshold() : null;
        String using = r.hasUsing() ? r.getUsing() : "";
        SearchParams params = searchParams(r.hasParams(), r.getParams());

        if (!r.hasQuery()) {
            return engine.read(r.getCollectionName(), h -> {
                int n = (int) Math.min(Integer.MAX_VALUE - 1, limit + offset);
                List<StoredPoint> page = h.store.scroll(null, filter, n);
                List<Points.ScoredPoint> out = new ArrayList<>();
                for (int i = (int) Math.min(offset, page.size()); i < page.size(); i++) {
                    out.add(scored(page.get(i), 0f, payload, withVectors));
                }
                return out;
            });
        }
        Points.Query query = r.getQuery();
        if (query.getVariantCase() != Points.Query.VariantCase.NEAREST) {
            throw ApiError.unimplemented("query type " + query.getVariantCase());
        }
        Points.VectorInput input = query.getNearest();
        return switch (input.getVariantCase()) {
            case DENSE -> {
                float[] vector = PointOps.toArray(input.getDense().getDataList());
                yield engine.read(r.getCollectionName(), h -> {
                    checkVectorName(using);
                    return nearest(h, vector, filter, limit, offset, threshold, params, payload, withVectors);
                });
            }
            case ID -> {
                PointId id = Protos.pointId(input.getId());
                yield engine.read(r.getCollectionName(), h -> {
                    checkVectorName(using);
                    // Qdrant: CollectionError::NotFound for the missing vector of the point
                    StoredPoint reference = h.store.get(id)
                            .orElseThrow(() -> ApiError.notFound("Vector with name \"\" for point not found"));
                    Filter excluding = Filter.and(filter, Protos.excludeIds(Set.of(id)));
                    return nearest(h, reference.vector(), excluding, limit, offset, threshold, params, payload,
                            withVectors);
                });
            }
            case SPARSE -> throw ApiError.unimplemented("sparse vectors");
            case MULTI_DENSE -> throw ApiError.badInput("Wrong usage of multi vectors");
            default -> throw ApiError.unimplemented("query input " + input.getVariantCase());
        };
    }

    /** {@code exact} and {@code hnsw_ef}; quantization settings do not apply (vectors are never quantized). */
    private static SearchParams searchParams(boolean present, Points.SearchParams p) {
        if (!present) {
            return SearchParams.DEFAULT;
        }
        long ef = p.hasHnswEf() ? p.getHnswEf() : 0;
        return new SearchParams(p.hasExact() && p.getExact(), (int) Math.max(0, Math.min(ef, 1 << 20)));
    }

    private static void checkVectorName(String name) {
        if (!name.isEmpty()) {
            throw ApiError.badInput("Not existing vector name error: " + name);
        }
    }

    /**
     * Nearest neighbours with exact scores. As in Qdrant the top {@code limit + offset} points are taken, the
     * score threshold cuts the ordered list (strict comparison, see
     * {@link Distance#passesThreshold}), then {@code offset} points are skipped.
     *
     * <p>Equal scores: Qdrant orders search results by score only ({@code Ord for ScoredPoint}
     * in lib/segment/src/types.rs compares scores, and segment/shard merging does not break
     * ties), so the order of ties is unspecified there. This engine orders ties by point id
     * (numbers ascending, then UUIDs) to be deterministic.
     */
    private List<Points.ScoredPoint> nearest(CollectionHandle h, float[] vector, Filter filter, long limit, long offset,
                                             Float threshold, SearchParams params, Protos.PayloadSelection payload,
                                             boolean withVectors) {
        CollectionSpec spec = h.store.spec();
        PointOps.checkDimension(spec, vector.length);
        float[] query = spec.distance().preprocess(vector);
        int k = (int) Math.min(Integer.MAX_VALUE - 1, limit + offset);
        List<ScoredPoint> hits = h.store.search(query, filter, k, params);
        List<Points.ScoredPoint> out = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            ScoredPoint hit = hits.get(i);
            if (threshold != null && !spec.distance().passesThreshold(hit.score(), threshold)) {
                break;
            }
            if (i >= offset) {
                out.add(scored(hit.point(), hit.score(), payload, withVectors));
            }
        }
        return out;
    }

    /**
     * Points in id order from {@code offset} (inclusive). {@code next_page_offset} is the id of
     * the first point after the page, absent on the last page
     * (lib/collection/src/collection/point_ops.rs {@code scroll_by}). Defaults: limit 10, with
     * payload, without vectors.
     */
    Points.ScrollResponse scroll(Points.ScrollPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        if (r.hasLimit()) {
            Validation.atLeastOne("limit", Integer.toUnsignedLong(r.getLimit()));
        }
        if (r.hasOrderBy()) {
            throw ApiError.unimplemented("order_by");
        }
        int limit = r.hasLimit() ? (int) Math.min(Integer.MAX_VALUE - 1, Integer.toUnsignedLong(r.getLimit())) : 10;
        PointId from = r.hasOffset() ? Protos.pointId(r.getOffset()) : null;
        Filter filter = Protos.filter(r.hasFilter(), r.getFilter());
        Protos.PayloadSelection payload = Protos.payloadSelection(r.hasWithPayload(), r.getWithPayload(),
                Protos.PayloadSelection.ALL);
        boolean withVectors = Protos.withVectors(r.hasWithVectors(), r.getWithVectors());
        Points.ScrollResponse.Builder out = Points.ScrollResponse.newBuilder();
        engine.read(r.getCollectionName(), h -> {
            List<StoredPoint> page = h.store.scroll(from, filter, limit + 1);
            for (int i = 0; i < Math.min(limit, page.size()); i++) {
                out.addResult(retrieved(page.get(i), payload, withVectors));
            }
            if (page.size() > limit) {
                out.setNextPageOffset(Protos.toProto(page.get(limit).id()));
            }
            return null;
        });
        return out.setTime(Engine.seconds(start)).build();
    }

    /** Counting is always exact here. */
    Points.CountResponse count(Points.CountPoints r) {
        long start = System.nanoTime();
        Validation.collectionName(r.getCollectionName());
        Filter filter = Protos.filter(r.hasFilter(), r.getFilter());
        long count = engine.read(r.getCollectionName(), h -> h.store.count(filter));
        return Points.CountResponse.newBuilder()
                .setResult(Points.CountResult.newBuilder().setCount(count))
                .setTime(Engine.seconds(start)).build();
    }

    private static Points.RetrievedPoint retrieved(StoredPoint p, Protos.PayloadSelection payload,
                                                   boolean withVectors) {
        Points.RetrievedPoint.Builder b = Points.RetrievedPoint.newBuilder().setId(Protos.toProto(p.id()));
        if (payload.enabled()) {
            b.putAllPayload(payload.apply(p.payload()));
        }
        if (withVectors) {
            b.setVectors(Protos.vectorsOutput(p.vector()));
        }
        return b.build();
    }

    private static Points.ScoredPoint scored(StoredPoint p, float score, Protos.PayloadSelection payload,
                                             boolean withVectors) {
        Points.ScoredPoint.Builder b = Points.ScoredPoint.newBuilder()
                .setId(Protos.toProto(p.id()))
                .setScore(score)
                .setVersion(p.version());
        if (payload.enabled()) {
            b.putAllPayload(payload.apply(p.payload()));
        }
        if (withVectors) {
            b.setVectors(Protos.vectorsOutput(p.vector()));
        }
        return b.build();
    }

    /** A uint64 request number as a non-negative long (saturating). */
    private static long unsigned(long value) {
        return value < 0 ? Long.MAX_VALUE / 4 : Math.min(value, Long.MAX_VALUE / 4);
    }
}
