package io.vectormemory.qdrant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the client module needs from a Qdrant backend, checked with the module's real classes over real gRPC.
 * It runs against the embedded server always and against a real Qdrant wherever Docker exists; both must pass
 * the same assertions, which keeps the embedded backend congruent with Qdrant.
 *
 * <p>The tests are the default methods of the contract interfaces, one per concern. Every test works in
 * collections of its own (fresh names), so tests are independent and share one backend and one connection; the
 * collections are deleted after the last test. A leg may run the whole contract with settings of its own (see
 * {@link #CLUSTER_SETTINGS}); {@code bin/qdrant-conformance} runs it against any Qdrant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BackendContract implements CollectionsContract, PointsContract, SearchContract, FailuresContract,
        HealthContract {
    /**
     * The settings of production's layout, scaled to what a single node accepts: shards and replicas are sent with
     * every collection created, writes need every replica and go through each shard's leader replica.
     */
    static final Map<String, String> CLUSTER_SETTINGS = Map.of(
            "QDRANT_SHARD_NUMBER", "2",
            "QDRANT_REPLICATION_FACTOR", "2",
            "QDRANT_WRITE_CONSISTENCY_FACTOR", "2",
            "QDRANT_WRITE_ORDERING", "medium");

    private Backend backend;

    /** The backend shared by the test class, started on the first call. */
    protected abstract Backend.Endpoint endpoint() throws Exception;

    /** Settings of this leg, as a function would read them from its environment; none by default. */
    protected Map<String, String> legSettings() {
        return Map.of();
    }

    @BeforeAll
    void connect() throws Exception {
        backend = Backend.connect(endpoint(), getClass(), legSettings());
    }

    @AfterAll
    void disconnect() {
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    public Backend backend() {
        return backend;
    }
}
