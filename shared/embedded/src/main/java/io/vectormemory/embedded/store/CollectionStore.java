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
    PointStore create(String name, CollectionSpec spec);

    /** Drop a collection and its data. */
    void drop(String name);

    /** Flush and release everything. */
    @Override
    void close();
}
