package io.vectormemory.http.routing;

import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ApiKeysTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String NEXT_KEY = "fedcba9876543210fedcba9876543210";
    private static final ApiKeys ONE = ApiKeys.of(List.of(KEY));

    private static ServerRequestHeaders apiKey(String value) {
        WritableHeaders<?> h = WritableHeaders.create();
        h.add(HeaderNames.create("X-API-Key"), value);
        return ServerRequestHeaders.create(h);
    }

    private static ServerRequestHeaders authorization(String value) {
        WritableHeaders<?> h = WritableHeaders.create();
        h.add(HeaderNames.AUTHORIZATION, value);
        return ServerRequestHeaders.create(h);
    }

    @Test
    void xApiKeyHeader() {
        assertThat(ONE.accepts(apiKey(KEY)), is(true));
    }

    @Test
    void headerNameIsCaseInsensitive() {
        WritableHeaders<?> h = WritableHeaders.create();
        h.add(HeaderNames.create("x-api-key"), KEY);
        assertThat(ONE.accepts(ServerRequestHeaders.create(h)), is(true));
    }

    @Test
    void bearerToken() {
        assertThat(ONE.accepts(authorization("Bearer " + KEY)), is(true));
    }

    @Test
    void noHeaderIsRefused() {
        assertThat(ONE.accepts(ServerRequestHeaders.create()), is(false));
    }

    @ParameterizedTest(name = "[{index}] X-API-Key: \"{0}\"")
    @ValueSource(strings = {"", " ", "wrong", "0123456789abcdef0123456789abcdeF", " " + KEY, KEY + " ", KEY + "\t",
            "0123456789abcdef0123456789abcde", KEY + "0", "Bearer " + KEY})
    void wrongEmptyOrPaddedApiKeyIsRefused(String value) {
        assertThat(ONE.accepts(apiKey(value)), is(false));
    }

    @ParameterizedTest(name = "[{index}] Authorization: \"{0}\"")
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer  " + KEY, "bearer " + KEY, "BEARER " + KEY,
            "Basic " + KEY, KEY, "Bearer " + KEY + " ", "Bearer wrong", "Token " + KEY})
    void malformedOrWrongBearerIsRefused(String value) {
        assertThat(ONE.accepts(authorization(value)), is(false));
    }

    @Test
    void wrongKeyInBothHeadersIsRefused() {
        WritableHeaders<?> h = WritableHeaders.create();
        h.add(HeaderNames.create("X-API-Key"), "nope");
        h.add(HeaderNames.AUTHORIZATION, "Bearer nope");
        assertThat(ONE.accepts(ServerRequestHeaders.create(h)), is(false));
    }

    @Test
    void severalKeysForRotation() {
        ApiKeys rotating = ApiKeys.of(List.of(KEY, NEXT_KEY));
        assertThat(rotating.accepts(apiKey(KEY)), is(true));
        assertThat(rotating.accepts(apiKey(NEXT_KEY)), is(true));
        assertThat(rotating.accepts(authorization("Bearer " + NEXT_KEY)), is(true));
        assertThat(rotating.accepts(apiKey(KEY + "," + NEXT_KEY)), is(false));
        assertThat(rotating.accepts(apiKey("retired-key-0000000000000000000000")), is(false));
        assertThat(ONE.accepts(apiKey(NEXT_KEY)), is(false));
    }

    @Test
    void nonAsciiKeys() {
        ApiKeys keys = ApiKeys.of(List.of("schlüssel-ü"));
        assertThat(keys.accepts(apiKey("schlüssel-ü")), is(true));
        assertThat(keys.accepts(apiKey("schlussel-u")), is(false));
    }

    @Test
    void disabledAcceptsEverything() {
        ApiKeys off = ApiKeys.disabled();
        assertThat(off.isDisabled(), is(true));
        assertThat(off.accepts(ServerRequestHeaders.create()), is(true));
        assertThat(off.accepts(apiKey("anything")), is(true));
        assertThat(ONE.isDisabled(), is(false));
    }

    @Test
    void noKeysIsNotAConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> ApiKeys.of(List.of()));
    }
}
