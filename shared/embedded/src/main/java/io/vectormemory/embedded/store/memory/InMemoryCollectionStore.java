package io.vectormemory.embedded.store.memory;

import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.CollectionStore;
import io.vectormemory.embedded.store.PointStore;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Collections held in memory only; durability, if wanted, comes from the engine's journal. */
public final class InMemoryCollectionStore implements CollectionStore {

    private final Map<String, InMemoryPointStore> collections = new ConcurrentHashMap<>();

    @Override
    public Set<String> names() {
        return Set.copyOf(collections.keySet());
    }

    @Override
    public PointStore open(String name) {
        PointStore store = collections.get(name);
        if (store == null) {
            throw new NoSuchElementException(name);
        }
        return store;
    }

    @Override
    public PointStore create(String name, CollectionSpec spec, long createdAt) {
        InMemoryPointStore store = new InMemoryPointStore(spec, createdAt);
        if (collections.putIfAbsent(name, store) != null) {
            throw new IllegalStateException("collection exists: " + name);
        }
        return store;
    }

    @Override
    public void drop(String name) {
        collections.remove(name);
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public void close() {
        collections.clear();
    }
}
