package io.vectormemory.qdrant.connection;

import io.qdrant.client.grpc.CollectionsGrpc;
import io.vectormemory.embedded.EmbeddedQdrant;
import io.vectormemory.embedded.grpc.ClusterFaults;
import io.vectormemory.qdrant.calls.QdrantCalls;
import io.vectormemory.qdrant.settings.QdrantSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One connection per Qdrant node: the host name resolves to every node (a headless Service does that in the
 * cluster; here a hosts file names three loopback addresses, each with an embedded backend on the same port), and
 * calls go to all of them; a node that appears later, or goes away, is noticed by the address watch. Runs in a JVM of
 * its own (Surefire execution "qdrant-nodes"), which resolves names with that hosts file and caches nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QdrantNodesTest {
    private static final String HOST = "qdrant-nodes.test";
    private static final Duration WATCH = Duration.ofMillis(300);

    private final List<EmbeddedQdrant> nodes = new ArrayList<>();
    private final List<ClusterFaults> seen = new ArrayList<>();
    private Path hosts;
    private int port;

    @BeforeAll
    void start() throws IOException {
        String file = System.getProperty("jdk.net.hosts.file");
        assumeTrue(file != null, "runs in the qdrant-nodes Surefire execution, with a hosts file");
        hosts = Path.of(file);
        for (int i = 1; i <= 3; i++) {
            ClusterFaults faults = new ClusterFaults();
            EmbeddedQdrant.Options options = new EmbeddedQdrant.Options("127.0.0." + i, port, null, null);
            EmbeddedQdrant node = EmbeddedQdrant.start(options, faults);
            port = node.port();
            nodes.add(node);
            seen.add(faults);
        }
    }

    @AfterAll
    void stop() {
        nodes.forEach(EmbeddedQdrant::close);
    }

    private void resolveTo(int... nodeNumbers) throws IOException {
        StringBuilder b = new StringBuilder("127.0.0.1 localhost\n");
        for (int n : nodeNumbers) {
            b.append("127.0.0.").append(n).append(' ').append(HOST).append('\n');
        }
        Files.writeString(hosts, b.toString());
    }

    /** How many calls each node received since the last time. */
    private List<Integer> callsPerNode() {
        List<Integer> counts = new ArrayList<>();
        for (ClusterFaults f : seen) {
            counts.add(f.requests(CollectionsGrpc.getCollectionExistsMethod()).size());
            f.clear();
        }
        return counts;
    }

    private static void call(QdrantConnection c, int times) {
        for (int i = 0; i < times; i++) {
            QdrantCalls.await(c.client().collectionExistsAsync("any"));
        }
    }

    /** Calls until each of the nodes has answered one (connections come up one by one), then forgets them. */
    private void connected(QdrantConnection c, int... nodeNumbers) {
        for (int i = 0; i < 500; i++) {
            call(c, 1);
            boolean all = true;
            for (int n : nodeNumbers) {
                all &= !seen.get(n - 1).requests(CollectionsGrpc.getCollectionExistsMethod()).isEmpty();
            }
            if (all) {
                callsPerNode();
                return;
            }
        }
        throw new AssertionError("not every node got a call: " + callsPerNode());
    }

    @Test
    void callsReachEveryNodeTheNameResolvesToAndFollowItsChanges() throws Exception {
        resolveTo(1, 2);
        QdrantSettings settings = QdrantSettings.from(Map.of("QDRANT_URL", "http://" + HOST + ":" + port));
        try (QdrantConnection c = QdrantConnection.open(settings, WATCH)) {
            connected(c, 1, 2);
            call(c, 30);
            List<Integer> first = callsPerNode();
            assertThat(first.toString(), first.get(0), greaterThan(5));
            assertThat(first.toString(), first.get(1), greaterThan(5));
            assertThat(first.toString(), first.get(2), is(0));

            // A third node becomes ready: it gets calls without any connection failing first.
            resolveTo(1, 2, 3);
            Thread.sleep(WATCH.toMillis() * 4);
            connected(c, 1, 2, 3);
            call(c, 30);
            List<Integer> second = callsPerNode();
            assertThat(second.toString(), second.stream().allMatch(n -> n > 5), is(true));

            // The first one leaves the Service (not ready, drained): no more calls for it.
            resolveTo(2, 3);
            Thread.sleep(WATCH.toMillis() * 4);
            connected(c, 2, 3);
            call(c, 30);
            List<Integer> third = callsPerNode();
            assertThat(third.toString(), third.get(0), is(0));
            assertThat(third.toString(), third.get(1) + third.get(2), is(30));
        }
    }
}
