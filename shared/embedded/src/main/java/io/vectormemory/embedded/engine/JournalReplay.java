package io.vectormemory.embedded.engine;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeleteFieldIndexCollection;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.vectormemory.embedded.journal.LegacyJournal;
import io.vectormemory.embedded.journal.WriteAheadLog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings an engine's collections up to date from journal records, through the engine's own write
 * path so that they get the same operation ids and the same failures as when they were first applied.
 *
 * <p>At open, every record left in the write-ahead log is read, and applied only where the store
 * does not contain it yet: after the collection's checkpoint position (of a record the checkpoint holds
 * in part, only the operations it lacks: {@link Engine#update}), or for creating and deleting a
 * collection, after the position it was created at. Replay runs single-threaded before the engine
 * serves anything; meanwhile the engine's write path takes the replayed record's LSN instead of
 * appending to the journal ({@link Engine#replayLsn}).
 *
 * <p>A journal of the first release (an in-memory store's operation log) is instead imported: its
 * records are applied and journaled as new writes.
 */
final class JournalReplay {

    private static final Logger LOG = Logger.getLogger(JournalReplay.class.getName());

    private final Engine engine;

    JournalReplay(Engine engine) {
        this.engine = engine;
    }

    /**
     * Replays the records of the journal in {@code journalDir} that the collections do not contain yet,
     * then returns the journal, open for the writes that follow. A journal that ends before the newest
     * record a collection contains is incomplete: opening fails.
     */
    WriteAheadLog open(Path journalDir) throws IOException {
        long contained = 0;
        String newest = null;
        for (CollectionHandle h : engine.collections.values()) {
            if (h.lastLsn > contained) {
                contained = h.lastLsn;
                newest = h.name;
            }
        }
        long start = System.nanoTime();
        long[] replayed = {0};
        WriteAheadLog wal = WriteAheadLog.open(journalDir, contained + 1, (lsn, record) -> {
            replayed[0]++;
            engine.replayLsn = lsn;
            apply(record, true);
        });
        engine.replayLsn = -1;
        long ms = (System.nanoTime() - start) / 1_000_000;
        LOG.info(() -> "Journal " + journalDir + ": " + replayed[0] + " records read, the ones newer than the "
                + "collections' checkpoints replayed, in " + ms + " ms");
        if (wal.lastLsn() < contained) {
            wal.close();
            throw new IOException("journal " + journalDir + " ends at record " + wal.lastLsn()
                    + " but collection `" + newest + "` contains records up to " + contained
                    + ": the journal is incomplete");
        }
        return wal;
    }

    /** Imports the records of a journal of the first release as new writes; returns how many were read. */
    long importLegacy(Path file) throws IOException {
        return LegacyJournal.read(file, record -> apply(record, false));
    }

    /** Applies one journaled request: a replayed one (skipped when the store already has it) or an imported one. */
    private void apply(Any record, boolean replaying) {
        engine.replayApplied = false;
        try {
            if (record.is(UpdateBatchPoints.class)) {
                UpdateBatchPoints batch = record.unpack(UpdateBatchPoints.class);
                if (!replaying || lacks(batch.getCollectionName())) {
                    engine.update(batch.getCollectionName(), true, batch);
                }
            } else if (record.is(CreateCollection.class)) {
                CreateCollection create = record.unpack(CreateCollection.class);
                CollectionHandle h = engine.collections.get(create.getCollectionName());
                // the collection of that record (or a later one of the same name) is already on disk
                if (!replaying || h == null || h.store.createdAt() < engine.replayLsn) {
                    engine.createCollection(create);
                }
            } else if (record.is(DeleteCollection.class)) {
                DeleteCollection delete = record.unpack(DeleteCollection.class);
                CollectionHandle h = engine.collections.get(delete.getCollectionName());
                if (!replaying || (h != null && h.store.createdAt() < engine.replayLsn)) {
                    engine.deleteCollection(delete);
                }
            } else if (record.is(CreateFieldIndexCollection.class)) {
                CreateFieldIndexCollection create = record.unpack(CreateFieldIndexCollection.class);
                if (!replaying || lacks(create.getCollectionName())) {
                    engine.createFieldIndex(create);
                }
            } else if (record.is(DeleteFieldIndexCollection.class)) {
                DeleteFieldIndexCollection delete = record.unpack(DeleteFieldIndexCollection.class);
                if (!replaying || lacks(delete.getCollectionName())) {
                    engine.deleteFieldIndex(delete);
                }
            } else {
                throw new IllegalStateException("Unknown journal record type " + record.getTypeUrl());
            }
        } catch (ApiError e) {
            if (engine.replayApplied) {
                // the same deterministic failure the client saw when the operation was first applied
                LOG.log(Level.FINE, "Replayed operation failed as it did originally: {0}", e.getMessage());
            } else {
                LOG.warning(() -> "Journal record " + record.getTypeUrl() + " rejected on replay and skipped: "
                        + e.getMessage());
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Corrupt journal record " + record.getTypeUrl(), e);
        }
    }

    /** During replay: whether the collection is absent or its store does not contain the record being replayed. */
    private boolean lacks(String collection) {
        CollectionHandle h = engine.collections.get(collection);
        return h == null || engine.replayLsn > h.store.durablePosition();
    }
}
