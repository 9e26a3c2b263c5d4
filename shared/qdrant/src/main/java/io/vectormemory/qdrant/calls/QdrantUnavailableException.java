package io.vectormemory.qdrant.calls;

/**
 * Qdrant did not answer in time, could not be reached, or refused our credentials: the call may succeed later.
 * Carries no detail (and no stack trace): what went wrong is logged where it is seen.
 */
public class QdrantUnavailableException extends RuntimeException {
    public QdrantUnavailableException() {
        this("Qdrant unavailable");
    }

    QdrantUnavailableException(String message) {
        super(message, null, false, false);
    }
}
