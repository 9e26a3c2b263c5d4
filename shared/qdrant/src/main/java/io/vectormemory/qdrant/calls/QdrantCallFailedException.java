package io.vectormemory.qdrant.calls;

/**
 * Qdrant refused or failed a call for a reason a retry does not fix (an invalid request, an internal error).
 * The detail is logged once where the failure is seen; this carries none, so nothing internal can leak.
 */
public final class QdrantCallFailedException extends RuntimeException {
    public QdrantCallFailedException() {
        super("Qdrant call failed", null, false, false);
    }
}
