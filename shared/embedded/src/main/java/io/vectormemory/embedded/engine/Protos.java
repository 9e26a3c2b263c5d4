package io.vectormemory.embedded.engine;

import com.google.protobuf.Timestamp;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.JsonPath;
import io.vectormemory.embedded.model.Payloads;
import io.vectormemory.embedded.model.PointId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Conversions between Qdrant's protobuf messages and the engine model, with the error messages
 * of Qdrant's own conversions (lib/api/src/grpc/conversions.rs, lib/api/src/conversions/json.rs,
 * lib/api/src/conversions/vectors.rs at v1.16.0).
 */
final class Protos {

    private Protos() {
    }

    // ---- ids ----

    static PointId pointId(Common.PointId id) {
        return switch (id.getPointIdOptionsCase()) {
            case NUM -> PointId.num(id.getNum());
            case UUID -> {
                try {
                    yield PointId.parseUuid(id.getUuid());
                } catch (IllegalArgumentException e) {
                    throw ApiError.invalidArgument("Unable to parse UUID: " + id.getUuid());
                }
            }
            default -> throw ApiError.invalidArgument("No ID options provided");
        };
    }

    static List<PointId> pointIds(List<Common.PointId> ids) {
        List<PointId> out = new ArrayList<>(ids.size());
        for (Common.PointId id : ids) {
            out.add(pointId(id));
        }
        return out;
    }

    static Common.PointId toProto(PointId id) {
        return switch (id) {
            case PointId.Num n -> Common.PointId.newBuilder().setNum(n.value()).build();
            case PointId.Uuid u -> Common.PointId.newBuilder().setUuid(u.toString()).build();
        };
    }

    // ---- payload ----

    static JsonPath path(String key) {
        try {
            return JsonPath.parse(key);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidArgument("Invalid json path: '" + key + "'");
        }
    }

    static Map<String, Value> payload(Map<String, Value> payload) {
        try {
            return Payloads.canonical(payload);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidArgument(e.getMessage());
        }
    }

    /** What part of the payload to return. */
    record PayloadSelection(boolean enabled, List<JsonPath> include, List<JsonPath> exclude) {
        static final PayloadSelection NONE = new PayloadSelection(false, null, null);
        static final PayloadSelection ALL = new PayloadSelection(true, null, null);

        Map<String, Value> apply(Map<String, Value> payload) {
            if (include != null) {
                return Payloads.include(payload, include);
            }
            if (exclude != null) {
                return Payloads.exclude(payload, exclude);
            }
            return payload;
        }
    }

    /** A present selector without options is an error in Qdrant ("No PayloadSelector"). */
    static PayloadSelection payloadSelection(boolean present, Points.WithPayloadSelector selector,
                                             PayloadSelection absent) {
        if (!present) {
            return absent;
        }
        return switch (selector.getSelectorOptionsCase()) {
            case ENABLE -> selector.getEnable() ? PayloadSelection.ALL : PayloadSelection.NONE;
            case INCLUDE -> new PayloadSelection(true, paths(selector.getInclude().getFieldsList()), null);
            case EXCLUDE -> new PayloadSelection(true, null, paths(selector.getExclude().getFieldsList()));
            default -> throw ApiError.invalidArgument("No PayloadSelector");
        };
    }

    private static List<JsonPath> paths(List<String> keys) {
        List<JsonPath> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(path(k));
        }
        return out;
    }

    /** with_vectors: absent = false; a name selector returns the unnamed vector when it names "". */
    static boolean withVectors(boolean present, Points.WithVectorsSelector selector) {
        if (!present) {
            return false;
        }
        return switch (selector.getSelectorOptionsCase()) {
            case ENABLE -> selector.getEnable();
            case INCLUDE -> selector.getInclude().getNamesList().contains("");
            default -> false;
        };
    }

    /**
     * The vector as output: both the legacy {@code data} field (what Qdrant up to 1.16 fills) and the
     * {@code dense} variant (what newer Qdrant fills), so readers of either style get it.
     */
    static Points.VectorsOutput vectorsOutput(float[] vector) {
        Points.VectorOutput.Builder out = Points.VectorOutput.newBuilder();
        Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
        for (float f : vector) {
            out.addData(f);
            dense.addData(f);
        }
        return Points.VectorsOutput.newBuilder().setVector(out.setDense(dense)).build();
    }

    // ---- filters ----

    /** Converts a filter; returns null for "no filter". */
    static Filter filter(boolean present, Common.Filter filter) {
        return present ? filter(filter) : null;
    }

    static Filter filter(Common.Filter f) {
        Filter.MinShould minShould = null;
        if (f.hasMinShould()) {
            minShould = new Filter.MinShould(conditions(f.getMinShould().getConditionsList()),
                    f.getMinShould().getMinCount());
        }
        return new Filter(conditions(f.getMustList()), conditions(f.getShouldList()),
                conditions(f.getMustNotList()), minShould);
    }

    private static List<Filter.Condition> conditions(List<Common.Condition> conditions) {
        List<Filter.Condition> out = new ArrayList<>(conditions.size());
        for (Common.Condition c : conditions) {
            Filter.Condition converted = condition(c);
            if (converted != null) {
                out.add(converted);
            }
        }
        return out;
    }

    /** Null for a condition without content (Qdrant drops those, qdrant PR #5690). */
    private static Filter.Condition condition(Common.Condition c) {
        return switch (c.getConditionOneOfCase()) {
            case FIELD -> field(c.getField());
            case IS_EMPTY -> new Filter.IsEmpty(path(c.getIsEmpty().getKey()));
            case IS_NULL -> new Filter.IsNull(path(c.getIsNull().getKey()));
            case HAS_ID -> new Filter.HasId(new HashSet<>(pointIds(c.getHasId().getHasIdList())));
            case FILTER -> new Filter.Sub(filter(c.getFilter()));
            case NESTED -> {
                if (!c.getNested().hasFilter()) {
                    throw ApiError.invalidArgument("Nested condition must have a filter");
                }
                yield new Filter.NestedObjects(path(c.getNested().getKey()), filter(c.getNested().getFilter()));
            }
            case HAS_VECTOR -> new Filter.HasVector(c.getHasVector().getHasVector());
            case CONDITIONONEOF_NOT_SET -> null;
        };
    }

    private static Filter.Field field(Common.FieldCondition f) {
        JsonPath key = path(f.getKey());
        Filter.Match match = f.hasMatch() ? match(f.getMatch()) : null;
        Filter.NumberRange range = null;
        Filter.DatetimeRange datetimeRange = null;
        if (f.hasRange()) {
            Common.Range r = f.getRange();
            range = new Filter.NumberRange(r.hasLt() ? r.getLt() : null, r.hasGt() ? r.getGt() : null,
                    r.hasGte() ? r.getGte() : null, r.hasLte() ? r.getLte() : null);
        } else if (f.hasDatetimeRange()) {
            Common.DatetimeRange r = f.getDatetimeRange();
            datetimeRange = new Filter.DatetimeRange(r.hasLt() ? instant(r.getLt()) : null,
                    r.hasGt() ? instant(r.getGt()) : null, r.hasGte() ? instant(r.getGte()) : null,
                    r.hasLte() ? instant(r.getLte()) : null);
        }
        Filter.ValuesCount valuesCount = null;
        if (f.hasValuesCount()) {
            Common.ValuesCount v = f.getValuesCount();
            valuesCount = new Filter.ValuesCount(v.hasLt() ? v.getLt() : null, v.hasGt() ? v.getGt() : null,
                    v.hasGte() ? v.getGte() : null, v.hasLte() ? v.getLte() : null);
        }
        Filter.GeoRadius geoRadius = null;
        if (f.hasGeoRadius()) {
            Common.GeoRadius g = f.getGeoRadius();
            if (!g.hasCenter()) {
                throw ApiError.invalidArgument("Malformed GeoRadius type");
            }
            geoRadius = new Filter.GeoRadius(g.getCenter().getLon(), g.getCenter().getLat(), g.getRadius());
        }
        Filter.GeoBoundingBox geoBox = null;
        if (f.hasGeoBoundingBox()) {
            Common.GeoBoundingBox g = f.getGeoBoundingBox();
            if (!g.hasTopLeft() || !g.hasBottomRight()) {
                throw ApiError.invalidArgument("Malformed GeoBoundingBox type");
            }
            geoBox = new Filter.GeoBoundingBox(g.getTopLeft().getLon(), g.getTopLeft().getLat(),
                    g.getBottomRight().getLon(), g.getBottomRight().getLat());
        }
        if (f.hasGeoPolygon()) {
            throw ApiError.unimplemented("geo_polygon conditions");
        }
        return new Filter.Field(key, match, range, datetimeRange, valuesCount, geoRadius, geoBox,
                f.hasIsEmpty() ? f.getIsEmpty() : null, f.hasIsNull() ? f.getIsNull() : null);
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), Math.max(0, t.getNanos()));
    }

    private static Filter.Match match(Common.Match m) {
        return switch (m.getMatchValueCase()) {
            case KEYWORD -> new Filter.Keyword(m.getKeyword());
            case INTEGER -> new Filter.IntegerValue(m.getInteger());
            case BOOLEAN -> new Filter.Bool(m.getBoolean());
            case TEXT -> new Filter.Text(m.getText());
            case KEYWORDS -> new Filter.AnyKeyword(new LinkedHashSet<>(m.getKeywords().getStringsList()));
            case INTEGERS -> new Filter.AnyInteger(new LinkedHashSet<>(m.getIntegers().getIntegersList()));
            case EXCEPT_KEYWORDS -> new Filter.ExceptKeyword(
                    new LinkedHashSet<>(m.getExceptKeywords().getStringsList()));
            case EXCEPT_INTEGERS -> new Filter.ExceptInteger(
                    new LinkedHashSet<>(m.getExceptIntegers().getIntegersList()));
            case PHRASE -> new Filter.Phrase(m.getPhrase());
            case TEXT_ANY -> new Filter.TextAny(m.getTextAny());
            case MATCHVALUE_NOT_SET -> throw ApiError.invalidArgument("Malformed Match condition");
        };
    }

    /** Exclusion filter for query-by-id: must_not has_id. */
    static Filter excludeIds(Set<PointId> ids) {
        return new Filter(List.of(), List.of(), List.of(new Filter.HasId(ids)), null);
    }
}
