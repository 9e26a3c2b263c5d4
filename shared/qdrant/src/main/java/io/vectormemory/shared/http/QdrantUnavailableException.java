package io.vectormemory.shared.http;

import java.util.Map;

/** Qdrant did not answer in time or could not be reached: 503 with Retry-After, never 500 (DESIGN §3.1). */
public final class QdrantUnavailableException extends ApiException {
    public static final String RETRY_AFTER_SECONDS = "1";

    public QdrantUnavailableException() {
        super(503, "Vector database unavailable, retry later", Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }
}
