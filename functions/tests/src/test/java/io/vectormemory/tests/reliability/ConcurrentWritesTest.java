package io.vectormemory.tests.reliability;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Paths;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent upserts, deletes, batches and first writes to new namespaces on the same ids, through the upsert and
 * search functions: every request succeeds, and the final state of each id is the effect of one of the operations
 * on it that could have been last (none of the others started after it ended). That is what a linearizable
 * register allows; anything else is a lost or resurrected write.
 */
class ConcurrentWritesTest {
    private static final int WORKERS = 12;
    private static final int OPS_PER_WORKER = 24;
    private static final int IDS = 8;

    private static Deployment deployment;

    @BeforeAll
    static void start() {
        Map<String, Set<ApiFunction>> servers = new LinkedHashMap<>();
        servers.put("upsert", EnumSet.of(ApiFunction.UPSERT));
        servers.put("search", EnumSet.of(ApiFunction.SEARCH));
        deployment = Deployment.start(Deployment.contractEnv(Backend.url()), servers).bootstrap();
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    /** One write as the client saw it: the value it stores (null: delete), when it started and ended. */
    private record Op(String id, String value, long start, long end, int status) {
    }

    @Test
    void concurrentWritesOnTheSameIdsLeaveALinearizableFinalState() throws Exception {
        Http upsert = Http.to(deployment.url(Route.MEMORY_UPSERT)).apiKey(Deployment.KEY);
        Http search = Http.to(deployment.url(Route.MEMORY_GET)).apiKey(Deployment.KEY);
        long user = Data.user();
        String namespace = Data.namespace();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < IDS; i++) {
            ids.add("mem_" + user + "_" + i);
        }
        List<Op> ops = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(WORKERS)) {
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                pool.submit(() -> {
                    Random r = new Random(worker);
                    go.await();
                    for (int n = 0; n < OPS_PER_WORKER; n++) {
                        String value = "w" + worker + "-" + n;
                        int kind = n == 0 ? 3 : r.nextInt(10);
                        long start = System.nanoTime();
                        if (kind < 5) {
                            String id = ids.get(r.nextInt(IDS));
                            Response res = upsert.post("/memories", memory(id, value, user, null));
                            ops.add(new Op(id, value, start, System.nanoTime(), res.status()));
                        } else if (kind < 8) {
                            String id = ids.get(r.nextInt(IDS));
                            Response res = upsert.delete("/memories/" + id);
                            ops.add(new Op(id, null, start, System.nanoTime(), res.status()));
                        } else if (kind == 8) {
                            // a batch over two ids: each id gets the batch's value
                            String a = ids.get(r.nextInt(IDS));
                            String b = ids.get(r.nextInt(IDS));
                            List<String> both = a.equals(b) ? List.of(a) : List.of(a, b);
                            String body = "{\"points\":[" + String.join(",", both.stream()
                                    .map(id -> memory(id, value, user, null)).toList()) + "]}";
                            Response res = upsert.post("/memories/batch", body);
                            long end = System.nanoTime();
                            for (String id : both) {
                                ops.add(new Op(id, value, start, end, res.status()));
                            }
                        } else {
                            // the first writes to a namespace race with each other; each worker has its own id there
                            String id = "ns_" + user + "_" + worker;
                            Response res = upsert.post("/memories", memory(id, value, user, namespace));
                            ops.add(new Op(id + "@" + namespace, value, start, System.nanoTime(), res.status()));
                        }
                    }
                    return null;
                });
            }
            go.countDown();
        }

        List<Op> failed = ops.stream().filter(o -> o.status() != 200).toList();
        Map<String, List<Op>> byId = new LinkedHashMap<>();
        for (Op o : ops) {
            byId.computeIfAbsent(o.id(), k -> new ArrayList<>()).add(o);
        }
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<Op>> e : byId.entrySet()) {
            String key = e.getKey();
            String id = key.contains("@") ? key.substring(0, key.indexOf('@')) : key;
            String ns = key.contains("@") ? "?namespace=" + Paths.encode(namespace) : "";
            Response got = search.get("/memories/" + Paths.encode(id) + ns);
            String finalValue = got.status() == 404 ? null
                    : got.object().getJsonObject("payload").getString("value");
            List<Op> candidates = possiblyLast(e.getValue());
            boolean explained = candidates.stream().anyMatch(o -> java.util.Objects.equals(o.value(), finalValue));
            if (!explained) {
                violations.add(key + " ended as " + (finalValue == null ? "absent" : finalValue)
                        + ", but the operations that could have been last wrote "
                        + candidates.stream().map(o -> o.value() == null ? "delete" : o.value()).toList());
            }
        }
        System.out.println("CONCURRENT WRITES: " + ops.size() + " writes (upsert, delete, batch, first writes to a "
                + "new namespace) by " + WORKERS + " clients on " + byId.size() + " ids: " + failed.size()
                + " failed, " + violations.size() + " final states no linearization explains");
        violations.forEach(v -> System.out.println("CONCURRENT WRITES: VIOLATION " + v));
        assertEquals(List.of(), failed.stream().map(Op::toString).toList(), "every concurrent write succeeds");
        assertEquals(List.of(), violations);
        assertTrue(byId.size() >= IDS, "ids written: " + byId.keySet());
    }

    /** The operations no other operation on the same id started after the end of. */
    private static List<Op> possiblyLast(List<Op> ops) {
        long latestStart = ops.stream().mapToLong(Op::start).max().orElseThrow();
        return ops.stream().filter(o -> o.end() >= latestStart).toList();
    }

    private static String memory(String id, String value, long user, String namespace) {
        String payload = Data.memoryPayload(user).replace("Spicy ramen", value);
        float[] v = Vectors.random(Deployment.DIMENSION, value.hashCode());
        return namespace == null ? Data.memory(id, v, payload) : Data.memory(id, v, payload, namespace);
    }
}
