package io.vectormemory.qdrant;

import io.vectormemory.embedded.EmbeddedQdrant;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * {@code bin/qdrant-conformance}'s program against the embedded backend: the whole contract passes and the report
 * ends with the count; a wrong URL or key is one clear line and a non-zero status; the collections are deleted.
 */
class QdrantConformanceTest {
    private static final String KEY = "conformance-key-0123456789abcdef";

    private record Run(int status, List<String> lines) {
        String last() {
            return lines.getLast();
        }
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = QdrantConformance.run(args, env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(status, bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void theWholeContractPassesAgainstTheEmbeddedBackendWithItsClusterSettings() throws Exception {
        try (EmbeddedQdrant qdrant = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory().withApiKey(KEY))) {
            Run r = run(Map.of("QDRANT_API_KEY", KEY, "QDRANT_REPLICATION_FACTOR", "2", "QDRANT_SHARD_NUMBER", "2"),
                    "http://127.0.0.1:" + qdrant.port());

            assertThat(String.join("\n", r.lines()), r.status(), is(QdrantConformance.OK));
            assertThat(r.lines().getFirst(), startsWith("Qdrant "));
            assertThat(r.last().matches("\\d+ passed, 0 failed"), is(true));
            assertThat(Integer.parseInt(r.last().split(" ")[0]), greaterThanOrEqualTo(30));
            assertThat(String.join("\n", r.lines()), not(containsString(KEY)));
            // Every collection of the run was deleted.
            try (Backend check = Backend.connect(new Backend.Endpoint("127.0.0.1", qdrant.port(), KEY),
                    QdrantConformanceTest.class, Map.of())) {
                assertThat(io.vectormemory.qdrant.calls.QdrantCalls.await(check.client().listCollectionsAsync()),
                        hasSize(0));
            }
        }
    }

    @Test
    void aWrongUrlIsOneLineAndNonZero() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Run r = run(Map.of(), "http://127.0.0.1:" + closed);
        assertThat(r.lines(), hasSize(1));
        assertThat(r.last(), startsWith("qdrant-conformance: no Qdrant answers gRPC at http://127.0.0.1:" + closed));
        assertThat(r.status(), is(QdrantConformance.UNREACHABLE));

        Run notAUrl = run(Map.of(), "127.0.0.1:6334");
        assertThat(notAUrl.lines(), hasSize(1));
        assertThat(notAUrl.last(), startsWith("qdrant-conformance: QDRANT_URL="));
        assertThat(notAUrl.status(), is(QdrantConformance.UNREACHABLE));
    }

    @Test
    void aWrongOrMissingKeyIsOneLineAndNonZero() throws Exception {
        try (EmbeddedQdrant qdrant = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory().withApiKey(KEY))) {
            String url = "http://127.0.0.1:" + qdrant.port();
            Run wrong = run(Map.of(), url, "not-the-key-0123456789");
            assertThat(wrong.lines(), hasSize(1));
            assertThat(wrong.last(), is("qdrant-conformance: Qdrant at " + url + " refused the API key (UNAUTHENTICATED)"));
            assertThat(wrong.status(), is(QdrantConformance.UNREACHABLE));

            Run none = run(Map.of(), url);
            assertThat(none.lines(), hasSize(1));
            assertThat(none.last(), containsString("refused a call without an API key"));
            assertThat(none.status(), is(QdrantConformance.UNREACHABLE));
        }
    }
}
