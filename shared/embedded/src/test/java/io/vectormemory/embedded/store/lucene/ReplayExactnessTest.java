package io.vectormemory.embedded.store.lucene;

import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.vectormemory.embedded.engine.Engine;
import io.vectormemory.embedded.journal.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent writers send records of one to four operations, many of them choosing their points by a filter that
 * earlier operations change, while checkpoints run every few milliseconds; then the engine is abandoned (a crash
 * after the last reply) and reopened. The collection must be exactly as it was, point for point, and operation ids
 * must go on where they stopped: replay applied exactly what the last commit lacked, also for records a commit held
 * in part.
 */
class ReplayExactnessTest {
    private static final int ROUNDS = 3;
    private static final int WRITERS = 3;
    private static final long ROUND_MILLIS = 1500;
    private static final String[] COLORS = {"red", "green"};
    private static final int IDS = 20;

    @TempDir
    Path dir;

    private static PointsSelector where(String key, String keyword) {
        return PointsSelector.newBuilder().setFilter(Filter.newBuilder().addMust(matchKeyword(key, keyword))).build();
    }

    private static PointsUpdateOperation randomOperation(Random r, int writer) {
        String color = COLORS[r.nextInt(COLORS.length)];
        String other = COLORS[r.nextInt(COLORS.length)];
        long id = r.nextInt(IDS);
        return switch (r.nextInt(7)) {
            case 0, 1 -> {
                PointsUpdateOperation.PointStructList.Builder list = PointsUpdateOperation.PointStructList.newBuilder();
                for (int i = r.nextInt(3); i >= 0; i--) {
                    long n = r.nextInt(IDS);
                    list.addPoints(PointStruct.newBuilder().setId(id(n)).setVectors(vectors(1f, n, writer, 2f))
                            .putPayload("color", value(COLORS[r.nextInt(COLORS.length)]))
                            .putPayload("w", value(writer)).build());
                }
                yield PointsUpdateOperation.newBuilder().setUpsert(list).build();
            }
            case 2 -> PointsUpdateOperation.newBuilder().setSetPayload(PointsUpdateOperation.SetPayload.newBuilder()
                    .putPayload("tag", value(other)).setPointsSelector(where("color", color))).build();
            case 3 -> PointsUpdateOperation.newBuilder().setSetPayload(PointsUpdateOperation.SetPayload.newBuilder()
                    .putPayload("color", value(other)).setPointsSelector(where("tag", color))).build();
            case 4 -> PointsUpdateOperation.newBuilder().setOverwritePayload(
                    PointsUpdateOperation.OverwritePayload.newBuilder().putPayload("color", value(other))
                            .setPointsSelector(where("color", color))).build();
            case 5 -> PointsUpdateOperation.newBuilder().setDeletePoints(PointsUpdateOperation.DeletePoints
                    .newBuilder().setPoints(PointsSelector.newBuilder().setFilter(Filter.newBuilder()
                            .addMust(matchKeyword("color", color)).addMust(matchKeyword("tag", other))))).build();
            default -> PointsUpdateOperation.newBuilder().setDeletePoints(PointsUpdateOperation.DeletePoints
                    .newBuilder().setPoints(PointsSelector.newBuilder().setPoints(
                            io.qdrant.client.grpc.Points.PointsIdsList.newBuilder().addIds(id(id))))).build();
        };
    }

    /** Every point: its payload and vector, in id order. */
    private static Map<Long, String> snapshot(Engine engine) {
        Map<Long, String> out = new TreeMap<>();
        for (RetrievedPoint p : engine.scroll(ScrollPoints.newBuilder().setCollectionName("c").setLimit(1000)
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true))
                .setWithVectors(WithVectorsSelector.newBuilder().setEnable(true)).build()).getResultList()) {
            out.put(p.getId().getNum(), new TreeMap<>(p.getPayloadMap()) + " " + p.getVectors());
        }
        return out;
    }

    @Test
    void aRestartAfterCheckpointsUnderConcurrentWritersFindsExactlyTheStateBeforeIt() throws Exception {
        Logger storeLog = Logger.getLogger(LucenePointStore.class.getName());
        Level level = storeLog.getLevel();
        storeLog.setLevel(Level.FINE);
        List<LogRecord> logged = LogCapture.capture(LucenePointStore.class);
        // a moment between the start of each checkpoint and Lucene's cut, as a busy machine gives: writes land in it
        LucenePointStore.testBeforeCut = () -> {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        long records = 0;
        try {
            Engine engine = CheckpointWhileWritingTest.open(dir);
            CheckpointWhileWritingTest.create(engine);
            for (int round = 0; round < ROUNDS; round++) {
                engine.startCheckpoints(Duration.ofMillis(3));
                AtomicBoolean stop = new AtomicBoolean();
                long[] written = new long[WRITERS];
                List<Thread> threads = new ArrayList<>();
                Engine current = engine;
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    Random r = new Random(round * 100L + w);
                    threads.add(Thread.ofPlatform().start(() -> {
                        while (!stop.get()) {
                            // not waiting for the journal's flush: more writes per checkpoint (the journal is
                            // flushed when the engine is abandoned, so nothing acknowledged is lost there)
                            UpdateBatchPoints.Builder batch = UpdateBatchPoints.newBuilder().setCollectionName("c")
                                    .setWait(false);
                            for (int i = r.nextInt(4); i >= 0; i--) {
                                batch.addOperations(randomOperation(r, writer));
                            }
                            current.updateBatch(batch.build());
                            written[writer]++;
                        }
                    }));
                }
                Thread.sleep(ROUND_MILLIS);
                stop.set(true);
                for (Thread t : threads) {
                    t.join();
                }
                for (long n : written) {
                    records += n;
                }
                long last = CheckpointWhileWritingTest.upsert(engine, CheckpointWhileWritingTest.point(99,
                        Map.of("round", value(round))));
                Map<Long, String> before = snapshot(engine);

                engine.abandon();
                engine = CheckpointWhileWritingTest.open(dir);
                assertEquals(before, snapshot(engine), "round " + round);
                assertEquals(last + 1, CheckpointWhileWritingTest.upsert(engine,
                        CheckpointWhileWritingTest.point(98, Map.<String, Value>of())), "operation ids go on");
            }
            engine.close();
        } finally {
            LucenePointStore.testBeforeCut = () -> { };
            LogCapture.release(LucenePointStore.class);
            storeLog.setLevel(level);
        }
        long partial = logged.stream().filter(r -> r.getMessage().contains("in part")).count();
        System.out.printf("REPLAY EXACTNESS: %d rounds, %d records of 1-4 operations by %d writers with a checkpoint "
                + "every 3 ms: after each crash the state was exactly as before it; %d commits held a record in "
                + "part%n", ROUNDS, records, WRITERS, partial);
        assertTrue(records > 100, "too few writes to mean anything: " + records);
    }
}
