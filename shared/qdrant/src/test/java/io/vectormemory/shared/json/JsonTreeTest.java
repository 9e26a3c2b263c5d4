package io.vectormemory.shared.json;

import io.vectormemory.shared.http.ApiException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTreeTest {
    private static JsonValue parse(String json) {
        return JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonFields fields(String json) {
        return JsonFields.of(parse(json), "");
    }

    @Test
    void numberArraysBecomeFloatsRoundedViaDouble() {
        float[] v = fields("{\"v\":[0.1, -2, 3.4028235e38, 1e-50, 16777217]}").requiredVector("v");
        assertArrayEquals(new float[] {(float) 0.1d, -2f, 3.4028235e38f, 0f, 16777216f}, v);
        assertThat(parse("{\"v\":[1,2]}").asJsonObject().get("v"), instanceOf(NumberArray.class));
    }

    @Test
    void mixedArraysKeepEveryElementInOrder() {
        JsonArray a = parse("[1, 2.5, \"x\", null, [3], {\"k\":4}]").asJsonArray();
        assertThat(a.toString(), is("[1,2.5,\"x\",null,[3],{\"k\":4}]"));
    }

    @Test
    void integersInNumberArraysStayIntegers() {
        JsonArray a = parse("[9007199254740993, 2.0, -0]").asJsonArray();
        assertThat(((JsonNumber) a.get(0)).longValueExact(), is(9007199254740993L));
        assertThat(a.get(1).toString(), is("2.0"));
        assertThat(((JsonNumber) a.get(2)).longValue(), is(0L));
    }

    @Test
    void exponentNotationIsNeverAnInteger() {
        ApiException e = assertThrows(ApiException.class, () -> fields("{\"n\":4.2e1}").requiredLong("n"));
        assertThat(e.status(), is(422));
        assertThat(fields("{\"n\":42}").requiredLong("n"), is(42L));
    }

    @Test
    void outOfRangeVectorElementIs422() {
        ApiException e = assertThrows(ApiException.class, () -> fields("{\"v\":[1, 1e39]}").requiredVector("v"));
        assertThat(e.status(), is(422));
        assertThat(e.getMessage(), containsString("v[1]"));
        ApiException inf = assertThrows(ApiException.class, () -> fields("{\"v\":[1e400]}").requiredVector("v"));
        assertThat(inf.status(), is(422));
    }

    @Test
    void infinitePayloadNumberIs422() {
        ApiException e = assertThrows(ApiException.class,
                () -> QdrantValues.payload(parse("{\"x\":1e400}").asJsonObject()));
        assertThat(e.status(), is(422));
        ApiException inArray = assertThrows(ApiException.class,
                () -> QdrantValues.payload(parse("{\"x\":[1, -1e400]}").asJsonObject()));
        assertThat(inArray.status(), is(422));
    }

    @Test
    void nestingIsLimited() {
        String ok = "[".repeat(JsonTree.MAX_DEPTH) + "]".repeat(JsonTree.MAX_DEPTH);
        assertThat(parse(ok).getValueType(), is(JsonValue.ValueType.ARRAY));
        String deep = "{\"a\":".repeat(JsonTree.MAX_DEPTH) + "1" + "}".repeat(JsonTree.MAX_DEPTH);
        ApiException e = assertThrows(ApiException.class, () -> parse("[" + deep + "]"));
        assertThat(e.status(), is(400));
        ApiException veryDeep = assertThrows(ApiException.class, () -> parse("[".repeat(100_000)));
        assertThat(veryDeep.status(), is(400));
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        assertThat(assertThrows(ApiException.class, () -> parse("{\"a\":1,\"a\":2}")).status(), is(400));
        assertThat(assertThrows(ApiException.class, () -> parse("{\"p\":{\"b\":[{\"c\":1,\"c\":1}]}}")).status(),
                is(400));
    }

    @Test
    void loneSurrogatesAreRefusedPairsKept() {
        assertThat(assertThrows(ApiException.class, () -> parse("{\"id\":\"\\ud800\"}")).status(), is(400));
        assertThat(assertThrows(ApiException.class, () -> parse("{\"\\udc00\":1}")).status(), is(400));
        assertThat(parse("{\"id\":\"\\ud83d\\ude00\"}").asJsonObject().getString("id"), is("\ud83d\ude00"));
    }
}
