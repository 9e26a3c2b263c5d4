package io.vectormemory.embedded.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A validated payload filter, the storage-independent form of {@code qdrant.Filter}.
 *
 * <p>Empty clause lists mean "absent", as in Qdrant where the gRPC conversion turns empty
 * condition lists into {@code None} (lib/api/src/grpc/conversions.rs,
 * {@code conditions_helper_from_grpc}); an absent clause does not constrain.
 *
 * @param must      all must match
 * @param should    at least one must match (when non-empty)
 * @param mustNot   none may match
 * @param minShould at least {@code minCount} of its conditions must match, or null
 */
public record Filter(List<Condition> must, List<Condition> should, List<Condition> mustNot, MinShould minShould) {

    public static final Filter ALL = new Filter(List.of(), List.of(), List.of(), null);

    public Filter {
        must = List.copyOf(must);
        should = List.copyOf(should);
        mustNot = List.copyOf(mustNot);
    }

    /** Conjunction of two filters (null = no filter). */
    public static Filter and(Filter a, Filter b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new Filter(List.of(new Sub(a), new Sub(b)), List.of(), List.of(), null);
    }

    public record MinShould(List<Condition> conditions, long minCount) {
        public MinShould {
            conditions = List.copyOf(conditions);
        }
    }

    /** One filter condition. */
    public sealed interface Condition
            permits Field, IsEmpty, IsNull, HasId, NestedObjects, Sub, HasVector {
    }

    /**
     * A field condition. Qdrant checks each sub-condition that is present and accepts a value
     * when any of them matches (lib/segment/src/payload_storage/condition_checker.rs).
     */
    public record Field(JsonPath key, Match match, NumberRange range, DatetimeRange datetimeRange,
                        ValuesCount valuesCount, GeoRadius geoRadius, GeoBoundingBox geoBoundingBox,
                        Boolean isEmpty, Boolean isNull) implements Condition {
    }

    public record IsEmpty(JsonPath key) implements Condition {
    }

    public record IsNull(JsonPath key) implements Condition {
    }

    public record HasId(Set<PointId> ids) implements Condition {
        public HasId {
            ids = Set.copyOf(ids);
        }
    }

    /** Qdrant {@code NestedCondition}: some object of the array at {@code key} matches the filter. */
    public record NestedObjects(JsonPath key, Filter filter) implements Condition {
    }

    /** A sub-filter used as a condition. */
    public record Sub(Filter filter) implements Condition {
    }

    public record HasVector(String vectorName) implements Condition {
    }

    /** Match variants of {@code qdrant.Match}. */
    public sealed interface Match permits Keyword, IntegerValue, Bool, Text, Phrase, TextAny, AnyKeyword,
            AnyInteger, ExceptKeyword, ExceptInteger {
    }

    public record Keyword(String value) implements Match {
    }

    public record IntegerValue(long value) implements Match {
    }

    public record Bool(boolean value) implements Match {
    }

    /** Full-text match; without a full-text index Qdrant checks substring containment. */
    public record Text(String text) implements Match {
    }

    /** Phrase match; without a full-text index Qdrant checks substring containment. */
    public record Phrase(String phrase) implements Match {
    }

    /** Any-word match; without a full-text index: some whitespace-separated word is a substring. */
    public record TextAny(String textAny) implements Match {
    }

    public record AnyKeyword(Set<String> values) implements Match {
        public AnyKeyword {
            values = Set.copyOf(values);
        }
    }

    public record AnyInteger(Set<Long> values) implements Match {
        public AnyInteger {
            values = Set.copyOf(values);
        }
    }

    public record ExceptKeyword(Set<String> values) implements Match {
        public ExceptKeyword {
            values = Set.copyOf(values);
        }
    }

    public record ExceptInteger(Set<Long> values) implements Match {
        public ExceptInteger {
            values = Set.copyOf(values);
        }
    }

    /** Bounds may be null (absent). */
    public record NumberRange(Double lt, Double gt, Double gte, Double lte) {
        public boolean test(double v) {
            return (lt == null || v < lt) && (gt == null || v > gt)
                    && (lte == null || v <= lte) && (gte == null || v >= gte);
        }
    }

    /** Bounds may be null (absent). */
    public record DatetimeRange(Instant lt, Instant gt, Instant gte, Instant lte) {
        public boolean test(Instant v) {
            return (lt == null || v.isBefore(lt)) && (gt == null || v.isAfter(gt))
                    && (lte == null || !v.isAfter(lte)) && (gte == null || !v.isBefore(gte));
        }
    }

    /** Bounds may be null (absent). */
    public record ValuesCount(Long lt, Long gt, Long gte, Long lte) {
        public boolean test(long count) {
            return (lt == null || count < lt) && (gt == null || count > gt)
                    && (lte == null || count <= lte) && (gte == null || count >= gte);
        }
    }

    public record GeoRadius(double lon, double lat, double radiusMeters) {
    }

    public record GeoBoundingBox(double topLeftLon, double topLeftLat, double bottomRightLon, double bottomRightLat) {
    }
}
