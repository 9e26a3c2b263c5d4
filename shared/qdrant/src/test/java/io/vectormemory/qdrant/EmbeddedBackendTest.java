package io.vectormemory.qdrant;

import io.vectormemory.embedded.EmbeddedQdrant;
import org.junit.jupiter.api.AfterAll;

/** The backend contract against the embedded Qdrant-protocol server, in-process on an ephemeral port. */
class EmbeddedBackendTest extends BackendContract {
    private static final String API_KEY = "embedded-test-key-0123456789abcdef";

    private EmbeddedQdrant qdrant;

    @Override
    protected Backend.Endpoint endpoint() throws Exception {
        if (qdrant == null) {
            // With a key, so the contract's credential failures are exercised too.
            qdrant = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory().withApiKey(API_KEY));
        }
        return new Backend.Endpoint("127.0.0.1", qdrant.port(), API_KEY);
    }

    @Override
    public Backend.Disposable startDisposableBackend() throws Exception {
        EmbeddedQdrant disposable = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory());
        Backend.Endpoint endpoint = new Backend.Endpoint("127.0.0.1", disposable.port(), null);
        return new Backend.Disposable() {
            @Override
            public Backend.Endpoint endpoint() {
                return endpoint;
            }

            @Override
            public void close() {
                disposable.close(); // idempotent
            }
        };
    }

    @AfterAll
    void stopBackend() {
        if (qdrant != null) {
            qdrant.close();
        }
    }
}
