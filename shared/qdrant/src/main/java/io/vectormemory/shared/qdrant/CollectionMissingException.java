package io.vectormemory.shared.qdrant;

import io.vectormemory.shared.http.ApiException;

/** Qdrant answered NOT_FOUND: the collection does not exist (e.g. a namespace nobody has written to yet). */
public final class CollectionMissingException extends ApiException {
    public CollectionMissingException(String detail) {
        super(404, "Collection not found");
    }
}
