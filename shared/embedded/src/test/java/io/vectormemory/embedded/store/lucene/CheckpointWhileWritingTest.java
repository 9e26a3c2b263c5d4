package io.vectormemory.embedded.store.lucene;

import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.vectormemory.embedded.engine.Engine;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A checkpoint's Lucene commit runs while the collection's writers and readers go on: here the commit is held in
 * the middle of its fsync, and writes and reads of the collection still complete. The engine is then abandoned
 * (a crash after the last reply) and reopened: every acknowledged write is there.
 */
class CheckpointWhileWritingTest {
    private static final String C = "c";

    @TempDir
    Path dir;

    @AfterEach
    void unwrap() {
        LucenePointStore.testDirectories = d -> d;
        LucenePointStore.testBeforeCut = () -> { };
        LucenePointStore.testAfterOperation = () -> { };
    }

    /** Holds every fsync of the collection's files while armed, until released. */
    private static final class HeldSyncs {
        volatile boolean armed;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Directory wrap(Directory d) {
            return new FilterDirectory(d) {
                @Override
                public void sync(Collection<String> names) throws IOException {
                    if (armed) {
                        entered.countDown();
                        try {
                            release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    super.sync(names);
                }
            };
        }
    }

    static Engine open(Path dir) throws IOException {
        return Engine.open(LuceneCollectionStore.open(dir.resolve("collections")), dir.resolve("journal"));
    }

    static void create(Engine engine) {
        engine.createCollection(CreateCollection.newBuilder().setCollectionName(C)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(4)
                        .setDistance(Distance.Cosine)))
                .build());
    }

    static PointStruct point(long n, Map<String, Value> payload) {
        return PointStruct.newBuilder().setId(id(n)).setVectors(vectors(1f, n, 2f, 3f)).putAllPayload(payload).build();
    }

    static long upsert(Engine engine, PointStruct... points) {
        return engine.upsert(UpsertPoints.newBuilder().setCollectionName(C).setWait(true)
                .addAllPoints(List.of(points)).build()).getResult().getOperationId();
    }

    static Map<Long, Map<String, Value>> get(Engine engine, long... ids) {
        GetPoints.Builder r = GetPoints.newBuilder().setCollectionName(C)
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true));
        for (long n : ids) {
            r.addIds(id(n));
        }
        Map<Long, Map<String, Value>> out = new java.util.TreeMap<>();
        for (RetrievedPoint p : engine.get(r.build()).getResultList()) {
            out.put(p.getId().getNum(), p.getPayloadMap());
        }
        return out;
    }

    static long setPayload(Engine engine, Map<String, Value> payload, PointsSelector selector) {
        return engine.setPayload(SetPayloadPoints.newBuilder().setCollectionName(C).setWait(true)
                .putAllPayload(payload).setPointsSelector(selector).build()).getResult().getOperationId();
    }

    static PointsSelector where(String key, String keyword) {
        return PointsSelector.newBuilder().setFilter(Filter.newBuilder().addMust(matchKeyword(key, keyword))).build();
    }

    static PointsSelector ids(long... ids) {
        io.qdrant.client.grpc.Points.PointsIdsList.Builder list = io.qdrant.client.grpc.Points.PointsIdsList.newBuilder();
        for (long n : ids) {
            list.addIds(id(n));
        }
        return PointsSelector.newBuilder().setPoints(list).build();
    }

    @Test
    void writesAndReadsGoOnWhileACheckpointCommits() throws Exception {
        HeldSyncs held = new HeldSyncs();
        LucenePointStore.testDirectories = held::wrap;
        Engine engine = open(dir);
        create(engine);
        for (long n = 1; n <= 10; n++) {
            upsert(engine, point(n, Map.of("n", value(n))));
        }

        held.armed = true;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(() -> {
            try {
                engine.checkpoint();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
        assertTrue(held.entered.await(30, TimeUnit.SECONDS), "the checkpoint never reached its fsync");

        // The commit is now in the middle of its fsync.
        CompletableFuture<Long> write = CompletableFuture.supplyAsync(
                () -> upsert(engine, point(11, Map.of("n", value(11)))), threads);
        CompletableFuture<Map<Long, Map<String, Value>>> read = CompletableFuture.supplyAsync(() -> get(engine, 3),
                threads);
        try {
            write.get(20, TimeUnit.SECONDS);
            assertEquals(1, read.get(20, TimeUnit.SECONDS).size());
        } catch (TimeoutException e) {
            fail("a write or read of the collection waited for the checkpoint's commit");
        } finally {
            held.armed = false;
            held.release.countDown();
        }
        checkpoint.get(60, TimeUnit.SECONDS);
        threads.shutdown();
        long op = upsert(engine, point(12, Map.of("n", value(12))));

        engine.abandon();
        Engine reopened = open(dir);
        try {
            Map<Long, Map<String, Value>> all = get(reopened, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
            assertEquals(12, all.size(), all::toString);
            assertEquals(value(11), all.get(11L).get("n"));
            assertEquals(op + 1, upsert(reopened, point(13, Map.of())), "operation ids go on where they were");
        } finally {
            reopened.close();
        }
    }

    /**
     * Writes that land after a checkpoint started but before Lucene's cut are in its commit. The first matches
     * its points by a filter, the second makes a point match that filter: replaying the first over a commit that
     * holds the second would change that point too. After a crash, replay must apply neither.
     */
    @Test
    void replayAppliesExactlyTheOperationsACommitLacks() throws Exception {
        Engine engine = open(dir);
        create(engine);
        upsert(engine, point(1, Map.of("color", value("blue"))), point(2, Map.of("color", value("green"))));
        engine.checkpoint();
        upsert(engine, point(9, Map.of("color", value("grey")))); // something for the next checkpoint to commit

        CountDownLatch atCut = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        LucenePointStore.testBeforeCut = () -> {
            atCut.countDown();
            try {
                go.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(() -> {
            try {
                engine.checkpoint();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
        assertTrue(atCut.await(30, TimeUnit.SECONDS));
        setPayload(engine, Map.of("tag", value("x")), where("color", "red")); // matches nothing yet
        setPayload(engine, Map.of("color", value("red")), ids(2));
        LucenePointStore.testBeforeCut = () -> { };
        go.countDown();
        checkpoint.get(60, TimeUnit.SECONDS);
        threads.shutdown();
        long last = upsert(engine, point(3, Map.of("color", value("red")))); // only in the journal

        engine.abandon();
        Engine reopened = open(dir);
        try {
            Map<Long, Map<String, Value>> all = get(reopened, 1, 2, 3, 9);
            assertEquals(Map.of(1L, Map.of("color", value("blue")), 2L, Map.of("color", value("red")),
                    3L, Map.of("color", value("red")), 9L, Map.of("color", value("grey"))), all);
            assertEquals(last + 1, upsert(reopened, point(4, Map.of())));
        } finally {
            reopened.close();
        }
    }

    /**
     * A commit that falls between two operations of one record holds the first and not the second; after a crash
     * only the second is replayed. The first tags the red points, the second turns a point red: replaying both
     * would tag that point too.
     */
    @Test
    void aCommitInsideARecordHoldsItsFirstOperationsAndReplayAddsOnlyTheRest() throws Exception {
        Engine engine = open(dir);
        create(engine);
        upsert(engine, point(1, Map.of("color", value("red"))), point(2, Map.of("color", value("green"))));
        engine.checkpoint();

        CountDownLatch marked = new CountDownLatch(1);
        CountDownLatch firstApplied = new CountDownLatch(1);
        CountDownLatch committed = new CountDownLatch(1);
        LucenePointStore.testBeforeCut = () -> {
            marked.countDown();
            await(firstApplied);
        };
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
        upsert(engine, point(9, Map.of())); // something for the checkpoint to commit
        CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(() -> {
            try {
                engine.checkpoint();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                committed.countDown();
            }
        }, threads);
        assertTrue(marked.await(30, TimeUnit.SECONDS));
        int[] operations = {0};
        LucenePointStore.testAfterOperation = () -> {
            if (operations[0]++ == 0) {
                firstApplied.countDown(); // the checkpoint cuts now, with the rest of the record still to come
                await(committed);
            }
        };
        io.qdrant.client.grpc.Points.UpdateBatchPoints record = io.qdrant.client.grpc.Points.UpdateBatchPoints
                .newBuilder().setCollectionName(C).setWait(true)
                .addOperations(io.qdrant.client.grpc.Points.PointsUpdateOperation.newBuilder().setSetPayload(
                        io.qdrant.client.grpc.Points.PointsUpdateOperation.SetPayload.newBuilder()
                                .putPayload("tag", value("x")).setPointsSelector(where("color", "red"))))
                .addOperations(io.qdrant.client.grpc.Points.PointsUpdateOperation.newBuilder().setSetPayload(
                        io.qdrant.client.grpc.Points.PointsUpdateOperation.SetPayload.newBuilder()
                                .putPayload("color", value("red")).setPointsSelector(ids(2))))
                .build();
        List<io.qdrant.client.grpc.Points.UpdateResult> results = engine.updateBatch(record).getResultList();
        checkpoint.get(60, TimeUnit.SECONDS);
        threads.shutdown();
        LucenePointStore.testAfterOperation = () -> { };
        assertEquals(2, results.size());

        engine.abandon();
        Engine reopened = open(dir);
        try {
            assertEquals(Map.of(1L, Map.of("color", value("red"), "tag", value("x")),
                    2L, Map.of("color", value("red")), 9L, Map.of()), get(reopened, 1, 2, 9));
            assertEquals(results.get(1).getOperationId() + 1, upsert(reopened, point(3, Map.of())),
                    "operation ids go on where they were");
        } finally {
            reopened.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
