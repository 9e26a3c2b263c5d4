package io.vectormemory.tests.reliability;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Delete by user, file and group while other clients keep writing new points into what is being deleted: the
 * count answered is exactly the number of points the delete removed. Nothing else deletes, so a point written
 * (and acknowledged) at any time that is missing at the end was removed by the delete.
 */
class DeleteCountsTest {
    private static final int ROUNDS = 8;
    private static final int BEFORE = 150;
    private static final int WRITERS = 4;

    private static Deployment deployment;
    private static Http upsert;
    private static Http search;

    @BeforeAll
    static void start() {
        Map<String, Set<ApiFunction>> servers = new LinkedHashMap<>();
        servers.put("upsert", EnumSet.of(ApiFunction.UPSERT));
        servers.put("search", EnumSet.of(ApiFunction.SEARCH));
        deployment = Deployment.start(Deployment.contractEnv(Backend.url()), servers).bootstrap();
        upsert = Http.to(deployment.url(Route.MEMORY_UPSERT)).apiKey(Deployment.KEY);
        search = Http.to(deployment.url(Route.MEMORY_GET)).apiKey(Deployment.KEY);
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    /** How one kind of point is written and how its delete is called. */
    private record Kind(String name, IntFunction<String> id, Function<String, String> write,
                        Function<String, String> path, Function<String, Response> delete) {
    }

    @Test
    void memoriesOfAUser() {
        rounds(user -> new Kind("DELETE /memories/user", n -> "mem_" + user + "_" + n,
                id -> Data.memory(id, Vectors.random(Deployment.DIMENSION, id.hashCode()), Data.memoryPayload(user)),
                id -> "/memories/" + id,
                unused -> upsert.delete("/memories/user/" + user)), "/memories/batch", "points");
    }

    @Test
    void documentsOfAFile() {
        rounds(user -> new Kind("POST /documents/delete-by-file", n -> "doc_" + user + "_7_" + n,
                id -> Data.document(id, Vectors.random(Deployment.DIMENSION, id.hashCode()),
                        Data.documentPayload(user, 7, "g", 0)),
                id -> "/documents/" + id,
                unused -> upsert.post("/documents/delete-by-file", "{\"user_id\":" + user + ",\"file_id\":7}")),
                "/documents/batch", "documents");
    }

    @Test
    void documentsOfAGroup() {
        rounds(user -> new Kind("POST /documents/delete-by-group", n -> "doc_" + user + "_" + n % 5 + "_" + n,
                id -> Data.document(id, Vectors.random(Deployment.DIMENSION, id.hashCode()),
                        Data.documentPayload(user, Math.floorMod(id.hashCode(), 5), "team", 0)),
                id -> "/documents/" + id,
                unused -> upsert.post("/documents/delete-by-group",
                        "{\"user_id\":" + user + ",\"group_key\":\"team\"}")),
                "/documents/batch", "documents");
    }

    @Test
    void documentsOfAUser() {
        rounds(user -> new Kind("DELETE /documents/user", n -> "doc_" + user + "_3_" + n,
                id -> Data.document(id, Vectors.random(Deployment.DIMENSION, id.hashCode()),
                        Data.documentPayload(user, 3, "g", 0)),
                id -> "/documents/" + id,
                unused -> upsert.delete("/documents/user/" + user)), "/documents/batch", "documents");
    }

    private void rounds(java.util.function.LongFunction<Kind> kinds, String batchPath, String batchField) {
        int raced = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long user = Data.user();
            Kind kind = kinds.apply(user);
            List<String> written = new ArrayList<>();
            List<String> batch = new ArrayList<>();
            for (int n = 0; n < BEFORE; n++) {
                String id = kind.id().apply(n);
                written.add(id);
                batch.add(kind.write().apply(id));
            }
            Response before = upsert.post(batchPath, "{\"" + batchField + "\":" + Data.array(batch) + "}");
            assertEquals(200, before.status(), before::toString);

            // writers add new points to what is being deleted, one request each, until the delete has answered
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger next = new AtomicInteger(BEFORE);
            ConcurrentLinkedQueue<String> concurrent = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                writers.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        String id = kind.id().apply(next.getAndIncrement());
                        String path = batchPath.startsWith("/memories") ? "/memories" : "/documents";
                        Response r = upsert.post(path, kind.write().apply(id));
                        if (r.status() == 200) {
                            concurrent.add(id);
                        } else {
                            failures.add(r.toString());
                        }
                    }
                }));
            }
            sleepUntil(() -> concurrent.size() >= 3);
            Response deleted = kind.delete().apply(null);
            stop.set(true);
            writers.forEach(DeleteCountsTest::join);
            assertEquals(200, deleted.status(), deleted::toString);
            assertEquals(List.of(), List.copyOf(failures));

            written.addAll(concurrent);
            long missing = written.stream().filter(id -> search.get(kind.path().apply(id)).status() == 404).count();
            long count = Long.parseLong(deleted.body());
            if (missing > BEFORE) {
                raced++; // points written during the delete were removed too
            }
            assertTrue(missing >= BEFORE, "every point written before the delete is gone");
            assertEquals(missing, count, kind.name() + " round " + round + ": answered " + count + ", removed "
                    + missing + " (" + BEFORE + " written before it, " + concurrent.size() + " during it)");
        }
        System.out.printf("DELETE COUNTS: %s, %d rounds with %d writers adding points meanwhile: every count exact; "
                + "in %d rounds the delete also removed points written while it ran%n", kinds.apply(0).name(), ROUNDS,
                WRITERS, raced);
    }

    private static void sleepUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void join(Thread t) {
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
