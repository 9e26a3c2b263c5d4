package io.vectormemory.shared.qdrant;

import io.vectormemory.embedded.EmbeddedQdrant;
import org.junit.jupiter.api.AfterAll;

/** The backend contract against the embedded Qdrant-protocol server, in-process on an ephemeral port. */
class EmbeddedBackendTest extends BackendContract {
    private static final String API_KEY = "embedded-test-key-0123456789abcdef";

    private EmbeddedQdrant qdrant;

    @Override
    protected Endpoint endpoint() throws Exception {
        if (qdrant == null) {
            // With a key, so the contract's auth failures are exercised too.
            qdrant = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory().withApiKey(API_KEY));
        }
        return new Endpoint("127.0.0.1", qdrant.port(), API_KEY);
    }

    @Override
    protected DisposableBackend startDisposableBackend() throws Exception {
        EmbeddedQdrant disposable = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory());
        Endpoint endpoint = new Endpoint("127.0.0.1", disposable.port(), null);
        return new DisposableBackend() {
            @Override
            public Endpoint endpoint() {
                return endpoint;
            }

            @Override
            public void close() {
                disposable.close();
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
