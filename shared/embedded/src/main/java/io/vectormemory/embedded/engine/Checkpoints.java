package io.vectormemory.embedded.engine;

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
 * lock, so that every collection the closed segments touch is among the ones it then commits; a
 * collection is committed under its read lock, so its writers wait meanwhile and its readers do not.
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
                h.lock.readLock().lock();
                try {
                    long position = h.lastLsn;
                    if (h.dropped || position <= h.store.durablePosition()) {
                        continue;
                    }
                    if (h.broken != null) {
                        // its journal records are its only good copy: keep them all
                        complete = false;
                        continue;
                    }
                    // the store must not contain writes the journal could still lose
                    engine.journal.sync(position);
                    h.store.checkpoint(position);
                } finally {
                    h.lock.readLock().unlock();
                }
            }
            if (!complete) {
                return;
            }
            engine.journal.truncateBefore(firstKept);
        }
    }
}
