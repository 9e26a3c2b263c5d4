package io.vectormemory.http.json;

import io.qdrant.client.grpc.Common.PointId;
import io.vectormemory.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScrollCursorTest {

    private static PointId num(long n) {
        return PointId.newBuilder().setNum(n).build();
    }

    private static PointId uuid(String u) {
        return PointId.newBuilder().setUuid(u).build();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(longs = {0L, 1L, 7870116223244595666L, Long.MAX_VALUE, Long.MIN_VALUE, -1L})
    void numericIdsRoundTrip(long n) {
        String cursor = ScrollCursor.encode(num(n));
        assertThat(ScrollCursor.decode(cursor), is(num(n)));
        assertThat(cursor.matches("[A-Za-z0-9_-]+"), is(true)); // URL-safe, unpadded
    }

    @Test
    void uuidIdsRoundTrip() {
        PointId id = uuid("9a72f867-c21c-50ee-b3ef-e335a9cacacd");
        String cursor = ScrollCursor.encode(id);
        assertThat(ScrollCursor.decode(cursor), is(id));
        assertThat(cursor.matches("[A-Za-z0-9_-]+"), is(true));
    }

    @Test
    void numericAndUuidCursorsDiffer() {
        String numeric = ScrollCursor.encode(num(1));
        String uuid = ScrollCursor.encode(uuid("00000000-0000-0000-0000-000000000001"));
        assertThat(numeric.equals(uuid), is(false));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "!!!", "a", "a b", "====", "bjEy/w", "bjEy+w"})
    void garbageIs400(String cursor) {
        assertRejected(cursor);
    }

    @ParameterizedTest(name = "[{index}] decodes to \"{0}\"")
    @ValueSource(strings = {"", "n", "u", "x123", "n-1", "nabc", "n18446744073709551616", "n1.5",
            "unot-a-uuid", "u9a72f867", "123"})
    void wellEncodedNonsenseIs400(String text) {
        assertRejected(b64(text));
    }

    private static void assertRejected(String cursor) {
        ApiException e = assertThrows(ApiException.class, () -> ScrollCursor.decode(cursor));
        assertThat(e.status(), is(400));
        assertThat(e.getMessage(), containsString("offset"));
    }
}
