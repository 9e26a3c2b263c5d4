package io.vectormemory.qdrant.calls;

/** Qdrant answered NOT_FOUND: the collection does not exist (e.g. a namespace nobody has written to yet). */
public final class CollectionMissingException extends RuntimeException {
    public CollectionMissingException() {
        super("Collection not found", null, false, false);
    }
}
