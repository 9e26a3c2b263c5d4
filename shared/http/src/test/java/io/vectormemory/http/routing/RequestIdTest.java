package io.vectormemory.http.routing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** A client's request id is echoed and logged, so only short visible ASCII is taken; anything else gets a new one. */
class RequestIdTest {
    @Test
    void visibleAsciiWithQuotesIsKept() {
        String id = "a\"b\\c{}:,";
        assertThat(RequestFilter.acceptable(id), is(true));
        assertThat(RequestFilter.requestId(Optional.of(id)), is(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "with space", "tab\there", "new\nline", "caf\u00e9", "\u0000"})
    void otherIdsAreReplaced(String id) {
        assertThat(RequestFilter.acceptable(id), is(false));
        String replaced = RequestFilter.requestId(Optional.of(id));
        assertThat(replaced, not(id));
        assertThat(UUID.fromString(replaced).version(), is(4));
    }

    @Test
    void longIdsAreReplaced() {
        assertThat(RequestFilter.acceptable("x".repeat(128)), is(true));
        assertThat(RequestFilter.acceptable("x".repeat(129)), is(false));
    }

    @Test
    void missingIdGetsARandomOne() {
        String a = RequestFilter.requestId(Optional.empty());
        String b = RequestFilter.requestId(Optional.empty());
        assertThat(a, not(b));
        assertThat(UUID.fromString(a).version(), is(4));
    }
}
