package io.vectormemory.embedded.engine;

import io.vectormemory.embedded.store.PointStore;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A collection the engine has open: its points, the read/write lock every access to them holds
 * (see {@link Engine}), its operation id counter and the journal position of its last write.
 */
final class CollectionHandle {

    final String name;
    final PointStore store;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /**
     * Held by a checkpoint of this collection while it commits (writes go on meanwhile), and by what must not run
     * during a commit: payload index changes (the commit's data lists the indexes) and dropping the collection.
     * Taken after {@link #lock}, never before it.
     */
    final ReentrantLock checkpointing = new ReentrantLock();
    boolean dropped;
    /** Set when applying a journaled write failed in the store: its state no longer matches the journal. */
    volatile RuntimeException broken;
    long nextOperationId;
    /** LSN of the last journal record applied to this collection (guarded by lock). */
    volatile long lastLsn;

    CollectionHandle(String name, PointStore store) {
        this.name = name;
        this.store = store;
        this.nextOperationId = store.lastOperationId() + 1;
        this.lastLsn = Math.max(store.createdAt(), store.containedPosition());
    }

    void checkIntact() {
        if (broken != null) {
            throw storageFailure();
        }
    }

    ApiError storageFailure() {
        return ApiError.internal("the storage of collection `" + name + "` failed (" + broken
                + "); the journal holds every acknowledged write: restart the server to recover");
    }
}
