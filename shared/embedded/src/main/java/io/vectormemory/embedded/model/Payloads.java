package io.vectormemory.embedded.model;

import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.NullValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Payload manipulation with Qdrant's semantics. A payload is a JSON object held as a map of
 * protobuf {@link Value}s, which keeps integers and doubles apart exactly like Qdrant's
 * {@code json_with_int} conversion does.
 *
 * <p>References: {@code merge_map} (lib/segment/src/common/utils.rs), {@code value_set},
 * {@code value_remove}, {@code value_filter} (lib/segment/src/json_path/mod.rs) and
 * {@code PayloadSelector::process} (lib/segment/src/types.rs), all at Qdrant v1.16.0 (same in v1.13.6).
 */
public final class Payloads {

    public static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();

    private Payloads() {
    }

    /**
     * Canonical form of an incoming value: a value without a kind becomes null (Qdrant's
     * {@code proto_to_json}), recursively.
     *
     * @throws IllegalArgumentException for NaN or infinite doubles ("cannot convert to json number")
     */
    public static Value canonical(Value value) {
        return switch (value.getKindCase()) {
            case KIND_NOT_SET -> NULL;
            case DOUBLE_VALUE -> {
                if (!Double.isFinite(value.getDoubleValue())) {
                    throw new IllegalArgumentException("cannot convert to json number");
                }
                yield value;
            }
            case STRUCT_VALUE -> Value.newBuilder()
                    .setStructValue(Struct.newBuilder().putAllFields(canonical(value.getStructValue().getFieldsMap())))
                    .build();
            case LIST_VALUE -> {
                ListValue.Builder list = ListValue.newBuilder();
                for (Value v : value.getListValue().getValuesList()) {
                    list.addValues(canonical(v));
                }
                yield Value.newBuilder().setListValue(list).build();
            }
            default -> value;
        };
    }

    /** {@link #canonical(Value)} for every value of a map. */
    public static Map<String, Value> canonical(Map<String, Value> payload) {
        Map<String, Value> out = new LinkedHashMap<>();
        payload.forEach((k, v) -> out.put(k, canonical(v)));
        return out;
    }

    /** Qdrant {@code merge_map}: src keys overwrite dest keys; a null value removes the key. */
    public static Map<String, Value> merge(Map<String, Value> dest, Map<String, Value> src) {
        Map<String, Value> out = new LinkedHashMap<>(dest);
        mergeInto(out, src);
        return out;
    }

    private static void mergeInto(Map<String, Value> dest, Map<String, Value> src) {
        src.forEach((k, v) -> {
            if (v.hasNullValue()) {
                dest.remove(k);
            } else {
                dest.put(k, v);
            }
        });
    }

    /**
     * Set payload under a key path (Qdrant {@code Payload::merge_by_key} / {@code value_set}):
     * missing or non-object intermediate values are replaced by objects, {@code [n]} only
     * descends into an existing element, {@code []} into every element of an existing array,
     * and at the end of the path src is merged into the object found there.
     */
    public static Map<String, Value> setByKey(Map<String, Value> dest, JsonPath key, Map<String, Value> src) {
        Map<String, Value> out = new LinkedHashMap<>(dest);
        out.put(key.firstKey(), set(key.rest(), 0, out.getOrDefault(key.firstKey(), NULL), src));
        return out;
    }

    private static Value set(List<JsonPath.Item> path, int step, Value dest, Map<String, Value> src) {
        if (step == path.size()) {
            Map<String, Value> obj = dest.hasStructValue()
                    ? new LinkedHashMap<>(dest.getStructValue().getFieldsMap()) : new LinkedHashMap<>();
            mergeInto(obj, src);
            return object(obj);
        }
        return switch (path.get(step)) {
            case JsonPath.Key k -> {
                Map<String, Value> obj = dest.hasStructValue()
                        ? new LinkedHashMap<>(dest.getStructValue().getFieldsMap()) : new LinkedHashMap<>();
                obj.put(k.name(), set(path, step + 1, obj.getOrDefault(k.name(), NULL), src));
                yield object(obj);
            }
            case JsonPath.Index ix -> {
                if (!dest.hasListValue()) {
                    yield list(List.of());
                }
                List<Value> items = new ArrayList<>(dest.getListValue().getValuesList());
                if (ix.index() < items.size()) {
                    items.set(ix.index(), set(path, step + 1, items.get(ix.index()), src));
                }
                yield list(items);
            }
            case JsonPath.Wildcard w -> {
                if (!dest.hasListValue()) {
                    yield list(List.of());
                }
                List<Value> items = new ArrayList<>();
                for (Value v : dest.getListValue().getValuesList()) {
                    items.add(set(path, step + 1, v, src));
                }
                yield list(items);
            }
        };
    }

    /**
     * Remove the value at a key path (Qdrant {@code value_remove}); removing an array index
     * is not supported there and is a no-op here too, {@code a[]} empties the array.
     */
    public static Map<String, Value> remove(Map<String, Value> payload, JsonPath key) {
        if (!payload.containsKey(key.firstKey())) {
            return payload;
        }
        Map<String, Value> out = new LinkedHashMap<>(payload);
        if (key.rest().isEmpty()) {
            out.remove(key.firstKey());
        } else {
            out.put(key.firstKey(), remove(key.rest(), 0, out.get(key.firstKey())));
        }
        return out;
    }

    private static Value remove(List<JsonPath.Item> path, int step, Value value) {
        JsonPath.Item head = path.get(step);
        boolean last = step == path.size() - 1;
        switch (head) {
            case JsonPath.Key k -> {
                if (!value.hasStructValue()) {
                    return value;
                }
                Map<String, Value> obj = new LinkedHashMap<>(value.getStructValue().getFieldsMap());
                if (last) {
                    obj.remove(k.name());
                } else if (obj.containsKey(k.name())) {
                    obj.put(k.name(), remove(path, step + 1, obj.get(k.name())));
                }
                return object(obj);
            }
            case JsonPath.Index ix -> {
                if (last || !value.hasListValue() || ix.index() >= value.getListValue().getValuesCount()) {
                    return value;
                }
                List<Value> items = new ArrayList<>(value.getListValue().getValuesList());
                items.set(ix.index(), remove(path, step + 1, items.get(ix.index())));
                return list(items);
            }
            case JsonPath.Wildcard w -> {
                if (!value.hasListValue()) {
                    return value;
                }
                if (last) {
                    return list(List.of());
                }
                List<Value> items = new ArrayList<>();
                for (Value v : value.getListValue().getValuesList()) {
                    items.add(remove(path, step + 1, v));
                }
                return list(items);
            }
        }
    }

    /** Keep only the parts of the payload the include patterns select (Qdrant include selector). */
    public static Map<String, Value> include(Map<String, Value> payload, List<JsonPath> patterns) {
        return filter(payload, (path, v) -> patterns.stream().anyMatch(p -> includeMatches(p, path)));
    }

    /** Drop the parts of the payload the exclude patterns select (Qdrant exclude selector). */
    public static Map<String, Value> exclude(Map<String, Value> payload, List<JsonPath> patterns) {
        return filter(payload, (path, v) -> patterns.stream().noneMatch(p -> excludeMatches(p, path)));
    }

    /** {@code check_include_pattern}: same first key and the common prefix of both paths agrees. */
    private static boolean includeMatches(JsonPath pattern, JsonPath path) {
        if (!pattern.firstKey().equals(path.firstKey())) {
            return false;
        }
        int n = Math.min(pattern.rest().size(), path.rest().size());
        for (int i = 0; i < n; i++) {
            if (!pattern.rest().get(i).equals(path.rest().get(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code check_exclude_pattern}: the visited path starts with the pattern. */
    private static boolean excludeMatches(JsonPath pattern, JsonPath path) {
        if (!pattern.firstKey().equals(path.firstKey()) || path.rest().size() < pattern.rest().size()) {
            return false;
        }
        return path.rest().subList(0, pattern.rest().size()).equals(pattern.rest());
    }

    /** Qdrant {@code value_filter}: walk the payload, keeping values whose path passes the predicate. */
    private static Map<String, Value> filter(Map<String, Value> payload, BiPredicate<JsonPath, Value> keep) {
        Map<String, Value> out = new LinkedHashMap<>();
        payload.forEach((k, v) -> {
            List<JsonPath.Item> rest = new ArrayList<>();
            JsonPath path = new JsonPath(k, rest);
            if (keep.test(path, v)) {
                out.put(k, filterValue(k, rest, v, keep));
            }
        });
        return out;
    }

    private static Value filterValue(String first, List<JsonPath.Item> rest, Value value,
                                     BiPredicate<JsonPath, Value> keep) {
        if (value.hasListValue()) {
            List<Value> items = new ArrayList<>();
            rest.add(new JsonPath.Wildcard());
            JsonPath path = new JsonPath(first, rest);
            for (Value v : value.getListValue().getValuesList()) {
                if (keep.test(path, v)) {
                    items.add(filterValue(first, rest, v, keep));
                }
            }
            rest.removeLast();
            return list(items);
        }
        if (value.hasStructValue()) {
            Map<String, Value> obj = new LinkedHashMap<>();
            value.getStructValue().getFieldsMap().forEach((k, v) -> {
                rest.add(new JsonPath.Key(k));
                if (keep.test(new JsonPath(first, rest), v)) {
                    obj.put(k, filterValue(first, rest, v, keep));
                }
                rest.removeLast();
            });
            return object(obj);
        }
        return value;
    }

    public static Value object(Map<String, Value> fields) {
        return Value.newBuilder().setStructValue(Struct.newBuilder().putAllFields(fields)).build();
    }

    public static Value list(List<Value> values) {
        return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(values)).build();
    }

    /** Unmodifiable view helper. */
    public static Map<String, Value> frozen(Map<String, Value> payload) {
        return Collections.unmodifiableMap(payload);
    }
}
