package io.vectormemory.qdrant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * What the client module needs from a Qdrant backend, checked with the module's real classes over real gRPC.
 * It runs against the embedded server always and against a real Qdrant wherever Docker exists; both must pass
 * the same assertions, which keeps the embedded backend congruent with Qdrant.
 *
 * <p>The tests are the default methods of the contract interfaces, one per concern. Every test works in
 * collections of its own (fresh names), so tests are independent and share one backend and one connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class BackendContract implements CollectionsContract, PointsContract, SearchContract, FailuresContract,
        HealthContract {
    private Backend backend;

    /** The backend shared by the test class, started on the first call. */
    protected abstract Backend.Endpoint endpoint() throws Exception;

    @BeforeAll
    void connect() throws Exception {
        backend = Backend.connect(endpoint(), getClass());
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
