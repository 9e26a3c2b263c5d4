package io.vectormemory.qdrant.store;

import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;

import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.ConditionFactory.isEmpty;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;

/** The filters the API uses, built from typed conditions (never strings). */
public final class Filters {
    private Filters() {
    }

    /** Active memories of one user, optionally of one category (exact, case-sensitive; "" is a category). */
    public static Filter activeMemories(long userId, String category) {
        Filter.Builder f = Filter.newBuilder()
                .addMust(match("user_id", userId))
                .addMust(match("active", true));
        if (category != null) {
            f.addMust(matchKeyword("category", category));
        }
        return f.build();
    }

    /** All memories of one user, active or not (account deletion). */
    public static Filter memoriesOfUser(long userId) {
        return Filter.newBuilder().addMust(match("user_id", userId)).build();
    }

    /** Document chunks of one user, narrowed by file and/or group when given. */
    public static Filter documents(long userId, Long fileId, String groupKey) {
        Filter.Builder f = Filter.newBuilder().addMust(match("user_id", userId));
        if (fileId != null) {
            f.addMust(match("file_id", fileId));
        }
        if (groupKey != null) {
            f.addMust(matchKeyword("group_key", groupKey));
        }
        return f.build();
    }

    /**
     * The point a platform id names, under either id scheme: the derived Qdrant id, or any point whose
     * {@code _point_id} is the string (data written by the other scheme or by the platform's direct client).
     */
    public static Filter byStringId(PointId derived, String id) {
        return Filter.newBuilder()
                .addShould(hasId(derived))
                .addShould(matchKeyword(PointIds.FIELD, id))
                .build();
    }

    /**
     * The copies of these string ids kept under the other id scheme: at one of its ids and carrying one of the
     * strings, so a point that merely collides with such an id is never matched.
     */
    public static Filter otherSchemeCopies(java.util.List<PointId> otherSchemeIds, java.util.List<String> ids) {
        return Filter.newBuilder()
                .addMust(hasId(otherSchemeIds))
                .addMust(matchKeywords(PointIds.FIELD, ids))
                .build();
    }

    /**
     * Like {@link #byStringId}, but exact enough to delete by: a point at the derived id counts only if it
     * carries no {@code _point_id} (a legacy point), so a hash collision never deletes another string's point.
     */
    public static Filter exactlyStringId(PointId derived, String id) {
        return Filter.newBuilder()
                .addShould(matchKeyword(PointIds.FIELD, id))
                .addShould(filter(Filter.newBuilder()
                        .addMust(hasId(derived))
                        .addMust(isEmpty(PointIds.FIELD))
                        .build()))
                .build();
    }
}
