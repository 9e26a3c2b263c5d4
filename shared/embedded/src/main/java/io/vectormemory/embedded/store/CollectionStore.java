package io.vectormemory.embedded.store;

import java.util.Set;

/**
 * The set of collections of one server. Create and drop are called by the engine under its
 * global collection lock, never concurrently.
 */
public interface CollectionStore extends AutoCloseable {

    /** Names of the collections that exist when the store is opened. */
    Set<String> names();

    /** Open an existing collection. */
    PointStore open(String name);

    /** Create a new, empty collection (the engine has checked that the name is free). */
    PointStore create(String name, CollectionSpec spec, long createdAt);

    /** Drop a collection and its data. */
    void drop(String name);

    /** True when collections survive a restart (then the journal can be truncated after checkpoints). */
    boolean persistent();

    /** Release everything (without a checkpoint: the engine makes one first). */
    @Override
    void close();
}
