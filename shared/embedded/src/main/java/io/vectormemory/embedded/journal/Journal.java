package io.vectormemory.embedded.journal;

import com.google.protobuf.Message;

import java.io.IOException;

/**
 * Write-ahead log of the mutating requests. Records are the Qdrant protobuf request messages
 * themselves, numbered by a log sequence number (LSN) that grows by one per record.
 *
 * <p>Appending and making durable are separate steps so that concurrent writers share one fsync
 * (group commit): each writer appends its record, then waits in {@link #sync(long)} until a
 * single flush has covered it.
 */
public interface Journal extends AutoCloseable {

    /** A journal that keeps nothing (memory-only servers): LSNs are still counted. */
    static Journal none() {
        return new Journal() {
            private long last;

            @Override
            public synchronized long append(Message record) {
                return ++last;
            }

            @Override
            public void sync(long lsn) {
            }

            @Override
            public void syncLater() {
            }

            @Override
            public synchronized long lastLsn() {
                return last;
            }

            @Override
            public synchronized long roll() {
                return last + 1;
            }

            @Override
            public void truncateBefore(long lsn) {
            }

            @Override
            public long bytesSinceRoll() {
                return 0;
            }

            @Override
            public void close() {
            }
        };
    }

    /** Appends one record and returns its LSN. The record is written but not yet durable. */
    long append(Message record) throws IOException;

    /** Blocks until every record up to {@code lsn} is on stable storage. */
    void sync(long lsn) throws IOException;

    /** Makes the records appended so far durable soon, without waiting. */
    void syncLater();

    /** LSN of the last record appended (0 when none ever was). */
    long lastLsn();

    /**
     * Makes everything appended so far durable and starts a new segment; returns the LSN its first
     * record will get. Segments before it can later be dropped with {@link #truncateBefore}.
     */
    long roll() throws IOException;

    /** Deletes the segments whose records all have an LSN below {@code lsn}. */
    void truncateBefore(long lsn) throws IOException;

    /** Bytes appended to the current segment. */
    long bytesSinceRoll();

    /** Makes everything durable and releases the files. */
    @Override
    void close();
}
