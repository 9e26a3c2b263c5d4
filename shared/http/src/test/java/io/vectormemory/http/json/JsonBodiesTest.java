package io.vectormemory.http.json;

import io.vectormemory.http.ApiException;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonBodiesTest {

    private static JsonValue parse(String json) {
        return JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiException badJson(String json) {
        ApiException e = assertThrows(ApiException.class, () -> parse(json));
        assertThat(e.getMessage(), e.status(), is(400));
        assertThat(e.getMessage(), startsWith("Failed to parse the request body as JSON: "));
        return e;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{", "}", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "[1,2", "{'a':1}", "{\"a\":tru}", "{\"a\":01}",
            "{\"a\":\"unterminated}", "nul", "{\"a\":NaN}", "{\"a\":1}{", "", "   "})
    void malformedJsonIs400(String json) {
        badJson(json);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"{}x", "{} {}", "{\"a\":1}{", "1 2", "[] ,", "{}\u0000"})
    void trailingContentIs400(String json) {
        badJson(json);
    }

    @Test
    void trailingWhitespaceIsFine() {
        assertThat(parse("{\"a\":1} \r\n\t ").asJsonObject().getInt("a"), is(1));
    }

    @Test
    void duplicateKeysAre400() {
        badJson("{\"user_id\":1,\"user_id\":2}");
        badJson("{\"payload\":{\"a\":1,\"a\":1}}");
        badJson("[{\"a\":1,\"b\":2,\"a\":3}]");
    }

    @Test
    void invalidUtf8Is400() {
        ApiException e = assertThrows(ApiException.class,
                () -> JsonBodies.parse(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));
        assertThat(e.status(), is(400));
        assertThat(e.getMessage(), startsWith("Failed to parse the request body as JSON: "));
    }

    @Test
    void utf8BomIs400() {
        ApiException e = assertThrows(ApiException.class,
                () -> JsonBodies.parse(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}));
        assertThat(e.status(), is(400));
    }

    @Test
    void utf8TextIsDecoded() {
        JsonValue v = JsonBodies.parse("{\"t\":\"Grüße 😀\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(v.asJsonObject().getString("t"), is("Grüße 😀"));
    }

    @Test
    void hugeTokensAreNotEchoedInFull() {
        String junk = "x".repeat(10_000);
        ApiException e = badJson("{\"a\":" + junk + "}");
        assertThat(e.getMessage().length(), lessThan(400));
    }

    @Test
    void wellFormedBodiesParse() {
        JsonValue v = parse(" {\"a\":[1,2.5,\"x\",null,true],\"b\":{}} ");
        assertThat(v.getValueType(), is(JsonValue.ValueType.OBJECT));
        assertThat(v.asJsonObject().getJsonArray("a").size(), is(5));
        assertThat(parse("[]").getValueType(), is(JsonValue.ValueType.ARRAY));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
            "application/problem+json", "application/vnd.api+json;v=1"})
    void jsonContentTypes(String contentType) {
        assertThat(JsonBodies.isJson(contentType), is(true));
        JsonBodies.requireJsonContentType(Optional.of(contentType));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"text/plain", "application/xml", "application/jsonx", "text/json", "",
            "application/x-www-form-urlencoded", "multipart/form-data", "foo/bar+json"})
    void otherContentTypesAre415(String contentType) {
        assertThat(JsonBodies.isJson(contentType), is(false));
        ApiException e = assertThrows(ApiException.class,
                () -> JsonBodies.requireJsonContentType(Optional.of(contentType)));
        assertThat(e.status(), is(415));
    }

    @Test
    void missingContentTypeIs415() {
        ApiException e = assertThrows(ApiException.class, () -> JsonBodies.requireJsonContentType(Optional.empty()));
        assertThat(e.status(), is(415));
    }
}
