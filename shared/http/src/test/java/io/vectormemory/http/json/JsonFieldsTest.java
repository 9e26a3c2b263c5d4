package io.vectormemory.http.json;

import io.vectormemory.http.ApiException;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Schema checks on parsed bodies: every mismatch is a 422 naming the field path. */
class JsonFieldsTest {

    private static JsonFields body(String json) {
        return JsonFields.of(JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8)), "");
    }

    private static ApiException rejected(int status, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertThat(e.getMessage(), e.status(), is(status));
        return e;
    }

    private static void schemaError(String fieldPath, Executable call) {
        ApiException e = rejected(422, call);
        assertThat(e.getMessage(), containsString(fieldPath + ":"));
    }

    @Test
    void topLevelMustBeAnObject() {
        schemaError("body", () -> body("[1,2]"));
        schemaError("body", () -> body("\"x\""));
        schemaError("body", () -> body("null"));
    }

    @Test
    void missingField() {
        ApiException e = rejected(422, () -> body("{}").requiredString("point_id"));
        assertThat(e.getMessage(), is("Invalid request body: point_id: missing field"));
        schemaError("user_id", () -> body("{}").requiredLong("user_id"));
        schemaError("chunk_index", () -> body("{}").requiredInt("chunk_index"));
        schemaError("active", () -> body("{}").requiredBool("active"));
        schemaError("payload", () -> body("{}").requiredObject("payload"));
        schemaError("vector", () -> body("{}").requiredVector("vector"));
    }

    @Test
    void nullForRequiredField() {
        ApiException e = rejected(422, () -> body("{\"point_id\":null}").requiredString("point_id"));
        assertThat(e.getMessage(), is("Invalid request body: point_id: must not be null"));
        schemaError("user_id", () -> body("{\"user_id\":null}").requiredLong("user_id"));
        schemaError("active", () -> body("{\"active\":null}").requiredBool("active"));
        schemaError("vector", () -> body("{\"vector\":null}").requiredVector("vector"));
    }

    @Test
    void nullForFieldWithDefault() {
        schemaError("limit", () -> body("{\"limit\":null}").countOr("limit", 5));
        schemaError("min_score", () -> body("{\"min_score\":null}").floatOr("min_score", 0.7f));
    }

    @Test
    void wrongTypes() {
        schemaError("point_id", () -> body("{\"point_id\":42}").requiredString("point_id"));
        schemaError("user_id", () -> body("{\"user_id\":\"42\"}").requiredLong("user_id"));
        schemaError("user_id", () -> body("{\"user_id\":true}").requiredLong("user_id"));
        schemaError("active", () -> body("{\"active\":\"true\"}").requiredBool("active"));
        schemaError("active", () -> body("{\"active\":1}").requiredBool("active"));
        schemaError("payload", () -> body("{\"payload\":[]}").requiredObject("payload"));
        schemaError("vector", () -> body("{\"vector\":{}}").requiredVector("vector"));
        schemaError("min_score", () -> body("{\"min_score\":\"0.5\"}").floatOr("min_score", 0.7f));
        schemaError("category", () -> body("{\"category\":1}").optionalString("category"));
    }

    @ParameterizedTest(name = "[{index}] user_id: {0}")
    @ValueSource(strings = {"1.0", "42.5", "1e2", "1E2", "-0.0", "10e-1", "42.0e0"})
    void floatForIntegerField(String number) {
        ApiException e = rejected(422, () -> body("{\"user_id\":" + number + "}").requiredLong("user_id"));
        assertThat(e.getMessage(), containsString("user_id:"));
        assertThat(e.getMessage(), containsString("floating-point"));
    }

    @Test
    void int64Range() {
        assertThat(body("{\"v\":9223372036854775807}").requiredLong("v"), is(Long.MAX_VALUE));
        assertThat(body("{\"v\":-9223372036854775808}").requiredLong("v"), is(Long.MIN_VALUE));
        schemaError("v", () -> body("{\"v\":9223372036854775808}").requiredLong("v"));
        schemaError("v", () -> body("{\"v\":-9223372036854775809}").requiredLong("v"));
        schemaError("v", () -> body("{\"v\":123456789012345678901234567890}").requiredLong("v"));
    }

    @Test
    void int32Range() {
        assertThat(body("{\"v\":2147483647}").requiredInt("v"), is(Integer.MAX_VALUE));
        assertThat(body("{\"v\":-2147483648}").requiredInt("v"), is(Integer.MIN_VALUE));
        schemaError("v", () -> body("{\"v\":2147483648}").requiredInt("v"));
        schemaError("v", () -> body("{\"v\":-2147483649}").requiredInt("v"));
    }

    @Test
    void counts() {
        assertThat(body("{}").countOr("limit", 5), is(5L));
        assertThat(body("{\"limit\":0}").countOr("limit", 5), is(0L));
        assertThat(body("{\"limit\":9223372036854775807}").countOr("limit", 5), is(Long.MAX_VALUE));
        ApiException e = rejected(422, () -> body("{\"limit\":-1}").countOr("limit", 5));
        assertThat(e.getMessage(), containsString("limit:"));
        schemaError("limit", () -> body("{\"limit\":2.0}").countOr("limit", 5));
        schemaError("limit", () -> body("{\"limit\":\"10\"}").countOr("limit", 5));
    }

    @Test
    void floats() {
        assertThat(body("{}").floatOr("min_score", 0.7f), is(0.7f));
        assertThat(body("{\"min_score\":1}").floatOr("min_score", 0.7f), is(1.0f));
        assertThat(body("{\"min_score\":-0.25}").floatOr("min_score", 0.7f), is(-0.25f));
        assertThat(body("{\"min_score\":3.4028234e38}").floatOr("min_score", 0f), is(Float.MAX_VALUE));
        ApiException e = rejected(422, () -> body("{\"min_score\":1e39}").floatOr("min_score", 0.7f));
        assertThat(e.getMessage(), containsString("min_score:"));
        schemaError("min_score", () -> body("{\"min_score\":-1e39}").floatOr("min_score", 0.7f));
        schemaError("min_score", () -> body("{\"min_score\":1e400}").floatOr("min_score", 0.7f));
    }

    @Test
    void vectors() {
        float[] v = body("{\"vector\":[1,0.5,-2e-3]}").requiredVector("vector");
        assertThat(v.length, is(3));
        assertThat(v[0], is(1.0f));
        assertThat(v[1], is(0.5f));
        assertThat(v[2], is(-0.002f));
        assertThat(body("{\"vector\":[]}").requiredVector("vector").length, is(0));
        schemaError("vector[1]", () -> body("{\"vector\":[1,\"2\",3]}").requiredVector("vector"));
        schemaError("vector[2]", () -> body("{\"vector\":[1,2,null]}").requiredVector("vector"));
        schemaError("vector[0]", () -> body("{\"vector\":[1e39]}").requiredVector("vector"));
        schemaError("vector[0]", () -> body("{\"vector\":[[1]]}").requiredVector("vector"));
    }

    @Test
    void nestedPathsAreNamed() {
        JsonFields payload = body("{\"payload\":{\"user_id\":\"x\",\"inner\":{}}}").requiredObject("payload");
        ApiException e = rejected(422, () -> payload.requiredLong("user_id"));
        assertThat(e.getMessage(), is("Invalid request body: payload.user_id: expected a 64-bit integer"));
        schemaError("payload.inner.deep", () -> payload.requiredObject("inner").requiredString("deep"));
        assertThat(payload.path("x"), is("payload.x"));
    }

    @Test
    void optionalFields() {
        JsonFields f = body("{\"a\":null,\"b\":\"\",\"c\":7}");
        assertThat(f.optionalString("a"), is(nullValue()));
        assertThat(f.optionalString("missing"), is(nullValue()));
        assertThat(f.optionalString("b"), is(""));
        assertThat(f.optionalLong("a"), is(nullValue()));
        assertThat(f.optionalLong("c"), is(7L));
        assertThat(f.present("a"), is(false));
        assertThat(f.present("b"), is(true));
        schemaError("c", () -> body("{\"c\":7.5}").optionalLong("c"));
    }

    @Test
    void valuesAreReadExactly() {
        JsonFields f = body("{\"s\":\"Grüße \\u00e9\\n\",\"t\":true,\"f\":false,\"n\":-42}");
        assertThat(f.requiredString("s"), is("Grüße é\n"));
        assertThat(f.requiredBool("t"), is(true));
        assertThat(f.requiredBool("f"), is(false));
        assertThat(f.requiredLong("n"), is(-42L));
        assertThat(f.requiredInt("n"), is(-42));
    }

    @Test
    void ofNamesTheNestedPath() {
        ApiException e = rejected(422, () -> JsonFields.of(JsonValue.TRUE, "points[3]"));
        assertThat(e.getMessage(), containsString("points[3]: expected a JSON object"));
    }
}
