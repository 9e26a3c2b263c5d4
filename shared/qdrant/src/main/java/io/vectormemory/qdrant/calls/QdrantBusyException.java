package io.vectormemory.qdrant.calls;

/**
 * A Qdrant cluster answered from a passing state: no Raft leader yet, a schema change still being applied, replicas
 * activating or moving, a peer out of reach. The call may succeed later (and a schema change may complete by
 * itself). Carries no detail: Qdrant's message is logged where it is seen.
 */
public final class QdrantBusyException extends RuntimeException {
    public QdrantBusyException() {
        super("Qdrant cluster busy", null, false, false);
    }
}
