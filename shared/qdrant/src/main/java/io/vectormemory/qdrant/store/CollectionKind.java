package io.vectormemory.qdrant.store;

import io.qdrant.client.grpc.Collections.BoolIndexParams;
import io.qdrant.client.grpc.Collections.IntegerIndexParams;
import io.qdrant.client.grpc.Collections.KeywordIndexParams;
import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;

import java.util.List;

/** The two kinds of collection and the payload indexes each needs. */
public enum CollectionKind {
    MEMORIES(List.of(
            Index.integer("user_id"),
            Index.keyword("category", false),
            Index.bool("active"),
            Index.keyword(PointIds.FIELD, false))),
    DOCUMENTS(List.of(
            Index.integer("user_id"),
            Index.integer("file_id"),
            Index.keyword("group_key", false),
            Index.keyword(PointIds.FIELD, false)));

    private final List<Index> indexes;

    CollectionKind(List<Index> indexes) {
        this.indexes = indexes;
    }

    public List<Index> indexes() {
        return indexes;
    }

    /** One payload index. Qdrant's tenant flag exists only for keyword/uuid fields, so integer user ids get a
     * plain lookup index (every request filters on it, range queries are never made). */
    public record Index(String field, PayloadSchemaType type, PayloadIndexParams params) {
        static Index integer(String field) {
            return new Index(field, PayloadSchemaType.Integer, PayloadIndexParams.newBuilder()
                    .setIntegerIndexParams(IntegerIndexParams.newBuilder().setLookup(true).setRange(false))
                    .build());
        }

        static Index keyword(String field, boolean tenant) {
            return new Index(field, PayloadSchemaType.Keyword, PayloadIndexParams.newBuilder()
                    .setKeywordIndexParams(KeywordIndexParams.newBuilder().setIsTenant(tenant))
                    .build());
        }

        static Index bool(String field) {
            return new Index(field, PayloadSchemaType.Bool, PayloadIndexParams.newBuilder()
                    .setBoolIndexParams(BoolIndexParams.getDefaultInstance())
                    .build());
        }
    }
}
