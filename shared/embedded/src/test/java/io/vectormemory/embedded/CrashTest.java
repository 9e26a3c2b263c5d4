package io.vectormemory.embedded;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The standalone server ({@link Main} in a child JVM) under a concurrent write load (upserts, payload
 * updates, deletes with {@code wait=true}) is killed with SIGKILL at random moments, four times,
 * with checkpoints every 200 ms so that kills also land in the middle of them. After each restart every
 * acknowledged write must be there: acknowledged points with their last acknowledged payload, deleted
 * points gone. A write in flight at the kill may have happened or not.
 */
class CrashTest {

    private static final int ROUNDS = 4;
    private static final int WRITERS = 4;
    private static final int DIMENSION = 64;
    private static final String COLLECTION = "crash";

    @TempDir
    Path dir;

    /** What a point must look like: its payload, or null for "deleted". */
    private record State(Map<String, Value> payload) {
    }

    /** Expected states per point id: one if the last write was acknowledged, two if it was in flight. */
    private final Map<Long, List<State>> expected = new ConcurrentHashMap<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong inFlightAtKill = new AtomicLong();

    @Test
    void acknowledgedWritesSurviveKills() throws Exception {
        Path data = dir.resolve("data");
        Random random = new Random(4242);
        Server server = startServer(data, 0);
        try {
            try (QdrantClient client = connect(server.port)) {
                QdrantTestSupport.await(client.createCollectionAsync(COLLECTION,
                        VectorParams.newBuilder().setSize(DIMENSION).setDistance(Distance.Cosine).build()));
                QdrantTestSupport.await(client.createPayloadIndexAsync(COLLECTION, "writer",
                        Collections.PayloadSchemaType.Integer, null, true, null, null));
            }
            for (int round = 1; round <= ROUNDS; round++) {
                long before = acknowledged.get();
                long millis = 200 + random.nextInt(1500);
                long loaded = load(server, round, millis);
                long restartStart = System.nanoTime();
                server = startServer(data, server.port);
                long restartMillis = (System.nanoTime() - restartStart) / 1_000_000;
                Verification v = verify(server.port);
                System.out.printf("CrashTest round %d: SIGKILL after %d ms of load; %d writes acknowledged in the "
                                + "round (%d in total), %d in flight at the kill; restarted in %d ms; acknowledged points "
                                + "expected present: %d, found with their acknowledged payload: %d; points of in-flight writes "
                                + "applied: %d, not applied: %d%n", round, loaded,
                        acknowledged.get() - before, acknowledged.get(), inFlightAtKill.getAndSet(0), restartMillis,
                        v.expected(), v.found(), v.inFlightApplied(), v.inFlightLost());
                assertEquals(v.expected(), v.found());
            }
            // a clean stop as well
            server.process.destroy();
            assertTrue(server.process.waitFor(60, TimeUnit.SECONDS), "graceful stop");
            int exit = server.process.exitValue();
            assertTrue(exit == 0 || exit == 143, "exit status " + exit + ":\n" + server.log()); // 143: after SIGTERM
            server = startServer(data, server.port);
            Verification v = verify(server.port);
            System.out.printf("CrashTest after %d kills and a clean restart: %d writes acknowledged; %d points "
                    + "expected, %d found%n", ROUNDS, acknowledged.get(), v.expected(), v.found());
            assertEquals(v.expected(), v.found());
        } finally {
            server.process.destroyForcibly();
            server.process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private long presentCount() {
        return expected.values().stream().filter(s -> s.size() == 1 && s.getFirst().payload() != null).count();
    }

    /**
     * Runs the writers until at least 50 writes of this round are acknowledged, then {@code millis}
     * more, then kills the server in the middle of their writes. Returns how long the load ran.
     */
    private long load(Server server, int round, long millis) throws Exception {
        long start = System.nanoTime();
        long before = acknowledged.get();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        QdrantClient client = connect(server.port);
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread t = new Thread(() -> write(client, round, writer, stop), "crash-writer-" + w);
            t.start();
            writers.add(t);
        }
        while (acknowledged.get() - before < 50 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
            Thread.sleep(20);
        }
        Thread.sleep(millis);
        server.process.destroyForcibly(); // SIGKILL
        long loaded = (System.nanoTime() - start) / 1_000_000;
        assertTrue(server.process.waitFor(30, TimeUnit.SECONDS));
        stop.set(true);
        for (Thread t : writers) {
            t.join(60_000);
        }
        client.close();
        return loaded;
    }

    private void write(QdrantClient client, int round, int writer, AtomicBoolean stop) {
        Random random = new Random(round * 100L + writer);
        long next = ((long) round << 32) | ((long) writer << 24);
        List<Long> mine = new ArrayList<>();
        int version = 0;
        while (!stop.get()) {
            int op = random.nextInt(10);
            Map<Long, State> change = new HashMap<>();
            try {
                if (op < 7 || mine.isEmpty()) {
                    List<PointStruct> points = new ArrayList<>();
                    for (int i = 1 + random.nextInt(5); i > 0; i--) {
                        long id = next++;
                        Map<String, Value> payload = Map.of("writer", value(writer), "round", value(round),
                                "v", value(0), "text", value("point " + id));
                        points.add(PointStruct.newBuilder().setId(id(id)).setVectors(vectors(vector(random)))
                                .putAllPayload(payload).build());
                        change.put(id, new State(payload));
                    }
                    begin(change);
                    client.upsertAsync(COLLECTION, points).get(30, TimeUnit.SECONDS);
                    mine.addAll(change.keySet());
                } else if (op < 9) {
                    long id = mine.get(random.nextInt(mine.size()));
                    Map<String, Value> payload = new HashMap<>(expected.get(id).getLast().payload());
                    payload.put("v", value(++version));
                    change.put(id, new State(Map.copyOf(payload)));
                    begin(change);
                    client.setPayloadAsync(COLLECTION, Map.of("v", value(version)), id(id), true, null, null)
                            .get(30, TimeUnit.SECONDS);
                } else {
                    long id = mine.remove(random.nextInt(mine.size()));
                    change.put(id, new State(null));
                    begin(change);
                    client.deleteAsync(COLLECTION, List.of(id(id))).get(30, TimeUnit.SECONDS);
                }
                change.forEach((id, state) -> expected.put(id, List.of(state)));
                acknowledged.incrementAndGet();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // the kill: this write may or may not have happened (begin() recorded both outcomes)
                inFlightAtKill.incrementAndGet();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Before a write: its points may end up in the old or the new state. */
    private void begin(Map<Long, State> change) {
        change.forEach((id, state) -> {
            List<State> states = new ArrayList<>(expected.getOrDefault(id, List.of(new State(null))));
            states.add(state);
            expected.put(id, states);
        });
    }

    private record Verification(long expected, long found, long inFlightApplied, long inFlightLost) {
    }

    /** Every point is in one of its expected states (acknowledged: exactly that one). */
    private Verification verify(int port) throws Exception {
        long expectedPresent = presentCount();
        long found = 0;
        long applied = 0;
        long lost = 0;
        try (QdrantClient client = connect(port)) {
            List<Long> ids = new ArrayList<>(expected.keySet());
            for (int from = 0; from < ids.size(); from += 500) {
                List<Long> batch = ids.subList(from, Math.min(ids.size(), from + 500));
                List<RetrievedPoint> points = QdrantTestSupport.await(client.retrieveAsync(COLLECTION,
                        batch.stream().map(i -> id(i)).toList(), enable(true),
                        io.qdrant.client.WithVectorsSelectorFactory.enable(false), null));
                Map<Long, Map<String, Value>> got = new HashMap<>();
                for (RetrievedPoint p : points) {
                    got.put(p.getId().getNum(), p.getPayloadMap());
                }
                for (long id : batch) {
                    List<State> states = expected.get(id);
                    State actual = new State(got.get(id));
                    if (!states.contains(actual)) {
                        fail("point " + id + " is " + actual + ", expected one of " + states);
                    }
                    if (states.size() > 1) {
                        // an in-flight write: settle on what the server kept
                        expected.put(id, List.of(actual));
                        if (actual.equals(states.getLast())) {
                            applied++;
                        } else {
                            lost++;
                        }
                    } else if (actual.payload() != null) {
                        found++;
                    }
                }
            }
            long count = QdrantTestSupport.await(client.countAsync(COLLECTION));
            assertEquals(presentCount(), count, "count agrees");
        }
        return new Verification(expectedPresent, found, applied, lost);
    }

    private static float[] vector(Random random) {
        float[] v = new float[DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    // ------------------------------------------------------------------ the child process

    private Server startServer(Path data, int port) throws Exception {
        Path log = dir.resolve("server.log");
        StandaloneProcess p = StandaloneProcess.start(Map.of(Main.ENV_DATA_DIR, data.toString()), port,
                List.of("-Xmx512m", "-Dembedded.checkpointIntervalMs=200"), log);
        return new Server(p.process(), p.port(), p);
    }

    private record Server(Process process, int port, StandaloneProcess standalone) {
        String log() {
            return standalone.logTail();
        }
    }

    private static QdrantClient connect(int port) {
        return QdrantTestSupport.client(port, null);
    }
}
