package io.vectormemory.http.observe;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

class ApiMetricsTest {
    @Test
    void countersHistogramsAndGaugesInPrometheusText() {
        ApiMetrics m = new ApiMetrics("search");
        m.record("POST /memories/search", 200, 300_000);        // 0.3 ms
        m.record("POST /memories/search", 200, 3_000_000);      // 3 ms
        m.record("POST /memories/search", 503, 40_000_000_000L); // 40 s: above every bucket
        m.gauge("qdrant_collection_points", "Points", "collection", "user_memories", () -> 42);
        String text = m.prometheusText();

        assertThat(text, containsString("# TYPE api_requests_total counter\n"));
        assertThat(text, containsString(
                "api_requests_total{function=\"search\",route=\"POST /memories/search\",status=\"200\"} 2\n"));
        assertThat(text, containsString(
                "api_request_errors_total{function=\"search\",route=\"POST /memories/search\",status=\"503\"} 1\n"));
        assertThat(text, not(containsString("api_request_errors_total{function=\"search\",route=\"POST /memories/search\",status=\"200\"}")));
        String labels = "function=\"search\",route=\"POST /memories/search\"";
        assertThat(text, containsString("api_request_duration_seconds_bucket{" + labels + ",le=\"5.0E-4\"} 1\n"));
        assertThat(text, containsString("api_request_duration_seconds_bucket{" + labels + ",le=\"0.005\"} 2\n"));
        assertThat(text, containsString("api_request_duration_seconds_bucket{" + labels + ",le=\"30.0\"} 2\n"));
        assertThat(text, containsString("api_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 3\n"));
        assertThat(text, containsString("api_request_duration_seconds_count{" + labels + "} 3\n"));
        assertThat(text, containsString("api_request_duration_seconds_sum{" + labels + "} 40.0033\n"));
        assertThat(text, containsString("# TYPE qdrant_collection_points gauge\nqdrant_collection_points{collection=\"user_memories\"} 42\n"));
        assertThat(m.total(), is(3L));
        assertThat(m.failed(), is(1L));
        // Every family is declared before its samples, once.
        assertThat(text.indexOf("# TYPE api_request_duration_seconds histogram"), lessThan(text.indexOf("api_request_duration_seconds_bucket")));
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(ApiMetrics.escape("a\"b\\c\nd"), is("a\\\"b\\\\c\\nd"));
        assertThat(ApiMetrics.escape("GET /health"), is("GET /health"));
    }
}
