package io.vectormemory.qdrant.settings;

/**
 * Qdrant's write ordering, sent with every write (points.proto {@code WriteOrderingType}). With several replicas
 * per shard, {@link #WEAK} lets two writes to one point reach the replicas in different orders; {@link #MEDIUM}
 * sends each shard's writes through its highest live replica, {@link #STRONG} through its highest replica even
 * when that one is down (then writes fail until it is back).
 */
public enum WriteOrdering {
    WEAK, MEDIUM, STRONG
}
