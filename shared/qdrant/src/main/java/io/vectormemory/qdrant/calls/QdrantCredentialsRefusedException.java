package io.vectormemory.qdrant.calls;

/**
 * Qdrant refused our credentials (UNAUTHENTICATED or PERMISSION_DENIED): a wrong or missing {@code QDRANT_API_KEY}.
 * Still an unavailability to a request (nothing it can do but come back), but health tells it apart: waiting does
 * not fix it, an operator does.
 */
public final class QdrantCredentialsRefusedException extends QdrantUnavailableException {
    public QdrantCredentialsRefusedException() {
        super("Qdrant refused the credentials");
    }
}
