package io.vectormemory.qdrant.store;

/** A request's namespace cannot name a collection (the name would be too long for Qdrant); the message says why. */
public final class InvalidNamespaceException extends RuntimeException {
    public InvalidNamespaceException(String message) {
        super(message, null, false, false);
    }
}
