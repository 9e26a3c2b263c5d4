package io.vectormemory.embedded.model;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.Filter.Condition;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a {@link Filter} against one point, with the semantics of Qdrant v1.16.0's
 * lib/segment/src/payload_storage/query_checker.rs ({@code check_filter}, {@code check_payload},
 * {@code check_field_condition}), condition_checker.rs ({@code ValueChecker}) and
 * lib/segment/src/common/utils.rs ({@code check_is_empty}, {@code check_is_null}).
 *
 * <p>Notable details kept from Qdrant:
 * <ul>
 *   <li>an array value matches when any of its elements matches;</li>
 *   <li>integer match only matches integers (a stored double 5.0 does not match 5) and keyword
 *       match only strings; range conditions accept both integers and doubles;</li>
 *   <li>a field condition on a missing key is false, unless it is an is_empty/is_null flag;</li>
 *   <li>{@code has_id} never matches inside a nested (array-of-objects) condition.</li>
 * </ul>
 * Payload indexes do not change the outcome here. In Qdrant they only do for text matches: with
 * a full-text index, text/phrase/text_any match tokens; without one (and here) they match
 * substrings.
 */
public final class FilterMatcher {

    private static final double EARTH_RADIUS_METERS = 6_371_008.8;

    private FilterMatcher() {
    }

    /**
     * @param filter    the filter (null matches everything)
     * @param id        the point id
     * @param payload   the point payload
     * @param hasVector whether the point has its (single, unnamed) vector
     */
    public static boolean matches(Filter filter, PointId id, Map<String, Value> payload, boolean hasVector) {
        return filter == null || check(filter, id, payload, hasVector);
    }

    private static boolean check(Filter filter, PointId id, Map<String, Value> payload, boolean hasVector) {
        if (!filter.should().isEmpty()) {
            boolean any = false;
            for (Condition c : filter.should()) {
                if (condition(c, id, payload, hasVector)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (filter.minShould() != null) {
            long matched = 0;
            for (Condition c : filter.minShould().conditions()) {
                if (matched >= filter.minShould().minCount()) {
                    break;
                }
                if (condition(c, id, payload, hasVector)) {
                    matched++;
                }
            }
            if (matched != filter.minShould().minCount()) {
                return false;
            }
        }
        for (Condition c : filter.must()) {
            if (!condition(c, id, payload, hasVector)) {
                return false;
            }
        }
        for (Condition c : filter.mustNot()) {
            if (condition(c, id, payload, hasVector)) {
                return false;
            }
        }
        return true;
    }

    private static boolean condition(Condition c, PointId id, Map<String, Value> payload, boolean hasVector) {
        return switch (c) {
            case Filter.Sub s -> check(s.filter(), id, payload, hasVector);
            case Filter.Field f -> field(f, payload);
            case Filter.IsEmpty e -> {
                for (Value v : e.key().get(payload)) {
                    boolean empty = v.hasNullValue() || (v.hasListValue() && v.getListValue().getValuesCount() == 0);
                    if (!empty) {
                        yield false;
                    }
                }
                yield true;
            }
            case Filter.IsNull n -> n.key().get(payload).stream().anyMatch(Value::hasNullValue);
            // id == null inside nested objects: Qdrant does not support has_id there (always false)
            case Filter.HasId h -> id != null && h.ids().contains(id);
            case Filter.HasVector hv -> id != null && hasVector && hv.vectorName().isEmpty();
            case Filter.NestedObjects n -> {
                for (Value v : n.key().arrayKey().get(payload)) {
                    if (v.hasStructValue() && check(n.filter(), null, v.getStructValue().getFieldsMap(), false)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    private static boolean field(Filter.Field f, Map<String, Value> payload) {
        List<Value> values = f.key().get(payload);
        if (values.isEmpty()) {
            // FieldCondition::check_empty
            if (f.isEmpty() != null) {
                return f.isEmpty();
            }
            if (f.isNull() != null) {
                return !f.isNull();
            }
            return false;
        }
        for (Value v : values) {
            if (fieldCheck(f, v)) {
                return true;
            }
        }
        return false;
    }

    /** FieldCondition::check */
    private static boolean fieldCheck(Filter.Field f, Value v) {
        if (f.valuesCount() != null) {
            return f.valuesCount().test(count(v));
        }
        if (f.isEmpty() != null) {
            return isEmptyFlag(f.isEmpty(), v);
        }
        if (f.isNull() != null) {
            return isNullFlag(f.isNull(), v);
        }
        if (v.hasListValue()) {
            for (Value element : v.getListValue().getValuesList()) {
                if (fieldMatch(f, element)) {
                    return true;
                }
            }
            return false;
        }
        return fieldMatch(f, v);
    }

    /** FieldCondition::check_match: any present sub-condition matching the value. */
    private static boolean fieldMatch(Filter.Field f, Value v) {
        return (f.match() != null && match(f.match(), v))
                || (f.range() != null && isNumber(v) && f.range().test(asDouble(v)))
                || (f.datetimeRange() != null && datetimeMatches(f.datetimeRange(), v))
                || (f.geoRadius() != null && geoRadius(f.geoRadius(), v))
                || (f.geoBoundingBox() != null && geoBox(f.geoBoundingBox(), v))
                || (f.valuesCount() != null && f.valuesCount().test(count(v)))
                || (f.isEmpty() != null && isEmptyFlag(f.isEmpty(), v))
                || (f.isNull() != null && isNullFlag(f.isNull(), v));
    }

    static boolean match(Filter.Match m, Value v) {
        return switch (m) {
            case Filter.Keyword k -> v.hasStringValue() && v.getStringValue().equals(k.value());
            case Filter.IntegerValue i -> v.hasIntegerValue() && v.getIntegerValue() == i.value();
            case Filter.Bool b -> v.hasBoolValue() && v.getBoolValue() == b.value();
            case Filter.Text t -> v.hasStringValue() && v.getStringValue().contains(t.text());
            case Filter.Phrase p -> v.hasStringValue() && v.getStringValue().contains(p.phrase());
            case Filter.TextAny t -> v.hasStringValue() && anyWordContained(t.textAny(), v.getStringValue());
            case Filter.AnyKeyword a -> v.hasStringValue() && a.values().contains(v.getStringValue());
            case Filter.AnyInteger a -> v.hasIntegerValue() && a.values().contains(v.getIntegerValue());
            case Filter.ExceptKeyword e -> {
                if (v.hasNullValue()) {
                    yield false;
                }
                yield !v.hasStringValue() || !e.values().contains(v.getStringValue());
            }
            case Filter.ExceptInteger e -> {
                if (v.hasNullValue()) {
                    yield false;
                }
                yield !v.hasIntegerValue() || !e.values().contains(v.getIntegerValue());
            }
        };
    }

    /** Rust {@code text_any.split_whitespace().any(|token| stored.contains(token))}. */
    private static boolean anyWordContained(String words, String stored) {
        int i = 0;
        int n = words.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(words.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(words.charAt(i))) {
                i++;
            }
            if (i > start && stored.contains(words.substring(start, i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmptyFlag(boolean flag, Value v) {
        if (v.hasNullValue()) {
            return flag;
        }
        if (v.hasListValue()) {
            return (v.getListValue().getValuesCount() == 0) == flag;
        }
        return !flag;
    }

    private static boolean isNullFlag(boolean flag, Value v) {
        if (v.hasNullValue()) {
            return flag;
        }
        if (v.hasListValue()) {
            return v.getListValue().getValuesList().stream().anyMatch(Value::hasNullValue) == flag;
        }
        return !flag;
    }

    private static long count(Value v) {
        if (v.hasNullValue()) {
            return 0;
        }
        return v.hasListValue() ? v.getListValue().getValuesCount() : 1;
    }

    static boolean isNumber(Value v) {
        return v.hasIntegerValue() || v.hasDoubleValue();
    }

    static double asDouble(Value v) {
        return v.hasIntegerValue() ? (double) v.getIntegerValue() : v.getDoubleValue();
    }

    private static boolean datetimeMatches(Filter.DatetimeRange range, Value v) {
        if (!v.hasStringValue()) {
            return false;
        }
        Instant t = DateTimes.parse(v.getStringValue());
        return t != null && range.test(t);
    }

    private static double[] geoPoint(Value v) {
        if (!v.hasStructValue()) {
            return null;
        }
        Value lon = v.getStructValue().getFieldsMap().get("lon");
        Value lat = v.getStructValue().getFieldsMap().get("lat");
        if (lon == null || lat == null || !isNumber(lon) || !isNumber(lat)) {
            return null;
        }
        return new double[]{asDouble(lon), asDouble(lat)};
    }

    /** GeoRadius::check_point: haversine distance strictly below the radius. */
    private static boolean geoRadius(Filter.GeoRadius r, Value v) {
        double[] p = geoPoint(v);
        if (p == null) {
            return false;
        }
        double phi1 = Math.toRadians(r.lat());
        double phi2 = Math.toRadians(p[1]);
        double dPhi = Math.toRadians(p[1] - r.lat());
        double dLambda = Math.toRadians(p[0] - r.lon());
        double a = Math.pow(Math.sin(dPhi / 2), 2)
                + Math.cos(phi1) * Math.cos(phi2) * Math.pow(Math.sin(dLambda / 2), 2);
        double distance = EARTH_RADIUS_METERS * 2 * Math.asin(Math.sqrt(a));
        return distance < r.radiusMeters();
    }

    /** GeoBoundingBox::check_point (strict bounds, antimeridian crossing handled). */
    private static boolean geoBox(Filter.GeoBoundingBox b, Value v) {
        double[] p = geoPoint(v);
        if (p == null) {
            return false;
        }
        boolean lonOk = b.topLeftLon() > b.bottomRightLon()
                ? p[0] > b.topLeftLon() || p[0] < b.bottomRightLon()
                : b.topLeftLon() < p[0] && p[0] < b.bottomRightLon();
        boolean latOk = b.bottomRightLat() < p[1] && p[1] < b.topLeftLat();
        return lonOk && latOk;
    }
}
