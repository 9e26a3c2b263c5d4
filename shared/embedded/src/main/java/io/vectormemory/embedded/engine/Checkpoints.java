package io.vectormemory.embedded.engine;

import io.vectormemory.embedded.store.PointStore;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checkpoints of a persistent store: each makes the collections with new writes durable in the
 * store, recording the journal position each contains, and drops the journal segments no longer
 * needed, so that at start only the records after those positions are replayed
 * ({@link JournalReplay}). With a volatile store the journal is the only copy and stays whole.
 *
 * <p>Locking: one checkpoint runs at a time. It rolls the journal under the engine's collections
 * lock, so that every collection the closed segments touch is among the ones it then commits. A
 * collection's checkpoint starts under its read lock (no write in progress, so it holds at least
 * every write applied so far, those of the closed segments included), then commits without it while
 * writers go on: the store records exactly which operations the commit holds
 * ({@link PointStore#checkpoint}). Meanwhile it holds the collection's {@code checkpointing} lock.
 */
final class Checkpoints {

    private static final Logger LOG = Logger.getLogger(Checkpoints.class.getName());

    /** Checkpoint as soon as the current journal segment grows past this. */
    private static final long CHECKPOINT_JOURNAL_BYTES = 64L * 1024 * 1024;

    private final Engine engine;
    private final Object lock = new Object();
    private ScheduledExecutorService scheduler;
    private final AtomicBoolean queued = new AtomicBoolean();

    Checkpoints(Engine engine) {
        this.engine = engine;
    }

    /** Checkpoints every {@code interval} while there are new writes (and early when the journal grows large). */
    void start(Duration interval) {
        if (!engine.store.persistent() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "embedded-qdrant-checkpoint");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::runQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Lets a running checkpoint finish and schedules no more. */
    void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Schedules no more checkpoints and runs {@code then} once none is running. */
    void abandon(Runnable then) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        synchronized (lock) {
            then.run();
        }
    }

    /** After a write: a checkpoint soon if the journal segment has grown large. */
    void soonIfLarge() {
        if (scheduler != null && engine.journal.bytesSinceRoll() > CHECKPOINT_JOURNAL_BYTES
                && queued.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::runQuietly);
            } catch (RejectedExecutionException e) {
                queued.set(false);
            }
        }
    }

    private void runQuietly() {
        queued.set(false);
        try {
            run();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Checkpoint failed; the journal keeps every write until the next one", e);
        }
    }

    /** One checkpoint (see {@link Engine#checkpoint()}). */
    void run() throws IOException {
        if (!engine.store.persistent()) {
            return;
        }
        synchronized (lock) {
            long firstKept;
            List<CollectionHandle> handles;
            synchronized (engine.collectionsLock) {
                // records before firstKept are in closed segments; every collection they touch is in handles
                firstKept = engine.journal.roll();
                handles = new ArrayList<>(engine.collections.values());
            }
            boolean complete = true;
            for (CollectionHandle h : handles) {
                PointStore.Checkpoint checkpoint = null;
                h.lock.readLock().lock();
                try {
                    if (h.broken != null) {
                        // its journal records are its only good copy: keep them all
                        complete = false;
                    } else if (!h.dropped) {
                        h.checkpointing.lock();
                        checkpoint = h.store.checkpoint(h.lastLsn);
                        if (checkpoint == null) {
                            h.checkpointing.unlock();
                        }
                    }
                } finally {
                    h.lock.readLock().unlock();
                }
                if (checkpoint == null) {
                    continue;
                }
                try {
                    // the store must not contain writes the journal could still lose: it syncs the journal first
                    checkpoint.commit(engine.journal::sync);
                } finally {
                    h.checkpointing.unlock();
                }
            }
            if (!complete) {
                return;
            }
            engine.journal.truncateBefore(firstKept);
        }
    }
}
