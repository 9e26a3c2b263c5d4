package io.vectormemory.http.json;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * A JSON array of numbers held in primitive arrays: request vectors (1024 numbers each) are parsed without an
 * object per element and copied straight into a {@code float[]}. Integers stay integers (payload lists).
 */
final class NumberArray extends AbstractList<JsonValue> implements JsonArray {
    private final int size;
    private final double[] doubles;
    /** Exact values of the integers, or null when there are none (a vector). */
    private final long[] longs;
    private final boolean[] integral;

    /**
     * The first {@code size} elements of the arrays, which may be longer (the parser's buffers, kept as they are:
     * a copy per vector would cost more than the slack).
     */
    NumberArray(int size, double[] doubles, long[] longs, boolean[] integral) {
        this.size = size;
        this.doubles = doubles;
        this.longs = longs;
        this.integral = integral;
    }

    private boolean isIntegral(int index) {
        return integral != null && integral[index];
    }

    /** The elements as 32-bit floats, rounded like the Rust service (parse as f64, then cast). */
    float[] toFloats() {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = isIntegral(i) ? (float) longs[i] : (float) doubles[i];
        }
        return out;
    }

    @Override
    public JsonValue get(int index) {
        Objects.checkIndex(index, size);
        return isIntegral(index) ? JSON.createValue(longs[index]) : JSON.createValue(doubles[index]);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public ValueType getValueType() {
        return ValueType.ARRAY;
    }

    @Override
    public JsonObject getJsonObject(int index) {
        throw new ClassCastException("element " + index + " is a number");
    }

    @Override
    public JsonArray getJsonArray(int index) {
        throw new ClassCastException("element " + index + " is a number");
    }

    @Override
    public JsonNumber getJsonNumber(int index) {
        return (JsonNumber) get(index);
    }

    @Override
    public JsonString getJsonString(int index) {
        throw new ClassCastException("element " + index + " is a number");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends JsonValue> List<T> getValuesAs(Class<T> clazz) {
        return (List<T>) this;
    }

    @Override
    public String getString(int index) {
        throw new ClassCastException("element " + index + " is a number");
    }

    @Override
    public String getString(int index, String defaultValue) {
        return defaultValue;
    }

    @Override
    public int getInt(int index) {
        return getJsonNumber(index).intValue();
    }

    @Override
    public int getInt(int index, int defaultValue) {
        return index >= 0 && index < size() ? getInt(index) : defaultValue;
    }

    @Override
    public boolean getBoolean(int index) {
        throw new ClassCastException("element " + index + " is a number");
    }

    @Override
    public boolean getBoolean(int index, boolean defaultValue) {
        return defaultValue;
    }

    @Override
    public boolean isNull(int index) {
        return false;
    }

    @Override
    public String toString() {
        JsonArrayBuilder b = JSON.createArrayBuilder();
        forEach(b::add);
        return b.build().toString();
    }
}
