package io.vectormemory.qdrant.store;

/**
 * A request's namespace cannot have a collection: the name would be too long, or the namespace would be new while
 * the maximum number of namespaces exists. The message says which.
 */
public final class InvalidNamespaceException extends RuntimeException {
    public InvalidNamespaceException(String message) {
        super(message, null, false, false);
    }
}
