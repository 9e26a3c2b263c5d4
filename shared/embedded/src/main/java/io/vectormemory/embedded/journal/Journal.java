package io.vectormemory.embedded.journal;

import com.google.protobuf.Message;

import java.io.IOException;

/**
 * Append-only log of the mutating requests, so that an in-memory store can be rebuilt at start.
 * Records are the Qdrant protobuf request messages themselves.
 */
public interface Journal extends AutoCloseable {

    /** A journal that keeps nothing (memory-only servers). */
    Journal NONE = new Journal() {
        @Override
        public void append(Message record) {
        }

        @Override
        public void close() {
        }
    };

    /** Appends one record; when this returns the record is on stable storage. */
    void append(Message record) throws IOException;

    @Override
    void close();
}
