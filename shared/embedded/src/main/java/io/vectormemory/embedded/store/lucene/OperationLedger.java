package io.vectormemory.embedded.store.lucene;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The operations applied to a collection since its last commit, each with its journal position and the highest
 * Lucene sequence number of its changes: what tells, once a commit is prepared, exactly which operations it holds.
 * Lucene's commit holds every change whose sequence number is at most the one {@code prepareCommit} returns and no
 * other, and a collection's operations are applied one at a time, so the operations a commit holds are a prefix
 * of this ledger.
 * <p>
 * Appended by the writer (under the engine's collection lock); read and trimmed by the checkpoint: every method is
 * synchronized.
 */
final class OperationLedger {
    /** An operation that changed no document (a failed one, a payload index change, a filter that matched none). */
    static final long NO_CHANGE = -1;

    /** One operation: its record's journal position, its id, its highest sequence number (or NO_CHANGE). */
    record Entry(long position, long operationId, long sequenceNumber, boolean lastOfRecord) {
    }

    /**
     * What a commit holds.
     *
     * @param position         every record of the collection up to here wholly
     * @param partialPosition  and of the record at this position (-1: none) its first {@code partialOperations}
     * @param operationId      id of the last operation it holds
     * @param highestPosition  the last journal position any of whose operations it holds
     * @param entries          how many entries of the ledger it holds (dropped once the commit is durable)
     */
    record Contained(long position, long partialPosition, int partialOperations, long operationId,
                     long highestPosition, int entries) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    synchronized void add(long position, long operationId, long sequenceNumber, boolean lastOfRecord) {
        entries.addLast(new Entry(position, operationId, sequenceNumber, lastOfRecord));
    }

    /** How many operations a checkpoint starting now must hold at least (all those applied so far). */
    synchronized int size() {
        return entries.size();
    }

    /**
     * The operations a commit prepared at Lucene sequence number {@code commitSequence} holds: the first
     * {@code before} entries (applied before the checkpoint started), then every entry up to the last one with
     * changes at or below the sequence number.
     *
     * @param atStart what the commit holds at least: everything applied when the checkpoint started
     * @param durable what the previous commit held (its partial record may go on here)
     */
    synchronized Contained contained(int before, long commitSequence, Contained atStart, Contained durable) {
        int held = before;
        int index = 0;
        boolean beyond = false;
        for (Entry e : entries) {
            index++;
            if (index <= before || e.sequenceNumber() == NO_CHANGE) {
                continue;
            }
            if (e.sequenceNumber() <= commitSequence) {
                if (beyond) {
                    throw new IllegalStateException("a commit holds operation " + e.operationId()
                            + " but not an earlier one of the same collection");
                }
                held = index;
            } else {
                beyond = true;
            }
        }
        if (held == 0) {
            return atStart;
        }
        Entry last = null;
        int ofItsRecord = 0;
        Iterator<Entry> it = entries.iterator();
        for (int i = 0; i < held; i++) {
            Entry e = it.next();
            ofItsRecord = last != null && last.position() == e.position() ? ofItsRecord + 1 : 1;
            last = e;
        }
        if (last.lastOfRecord()) {
            return new Contained(last.position(), -1, 0, last.operationId(), last.position(), held);
        }
        if (ofItsRecord == held && durable.partialPosition() == last.position()) {
            ofItsRecord += durable.partialOperations(); // the record went on from the previous commit
        }
        return new Contained(last.position() - 1, last.position(), ofItsRecord, last.operationId(), last.position(),
                held);
    }

    /** Drops the first {@code count} entries: a commit that holds them is durable. */
    synchronized void drop(int count) {
        for (int i = 0; i < count; i++) {
            entries.removeFirst();
        }
    }
}
