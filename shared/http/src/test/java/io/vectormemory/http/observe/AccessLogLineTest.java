package io.vectormemory.http.observe;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class AccessLogLineTest {
    @Test
    void lineIsOneJsonObjectWithTheClientsIdEscaped() {
        String id = "a\"b\\c{}:,";
        String line = AccessLog.line(Instant.parse("2026-11-27T15:00:00.123456Z"), id, "search",
                "POST /memories/search", 200, 1_234_567, 1_000_000);
        JsonObject o = Json.createReader(new StringReader(line)).readObject();
        assertThat(o.getString("time"), is("2026-11-27T15:00:00.123456Z"));
        assertThat(o.getString("request_id"), is(id));
        assertThat(o.getString("function"), is("search"));
        assertThat(o.getString("route"), is("POST /memories/search"));
        assertThat(o.getInt("status"), is(200));
        assertThat(o.getJsonNumber("latency_ms").doubleValue(), is(1.234567));
        assertThat(o.getJsonNumber("qdrant_ms").doubleValue(), is(1.0));
        assertThat(o.size(), is(7));
    }
}
