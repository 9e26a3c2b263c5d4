package io.vectormemory.tests.reliability;

import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.JavaProcess;
import io.vectormemory.tests.support.Load;
import io.vectormemory.tests.support.StoreSnapshot;
import io.vectormemory.tests.support.TcpProxy;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM under load (Knative's default grace period is 30 s): the packaged upsert function stops taking new work, finishes every request already in flight, closes its Qdrant channel and exits well within the
 * grace period. Every write it acknowledged is in the backend afterwards.
 * <p>
 * A proxy between the function and the backend slows each Qdrant call to several hundred milliseconds, so that at
 * the moment of SIGTERM a dozen requests are in the middle of their Qdrant call. A second run with a grace period
 * too short for them shows that the test sees the difference.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GracefulShutdownIT {
    private static final String KEY = "shutdown-test-service-key-0123456789abcdef";
    private static final String QDRANT_KEY = "shutdown-test-backend-key";
    private static final int DIM = 8;
    private static final int WORKERS = 16;
    /** Per chunk and direction: a Qdrant call takes at least twice this. */
    private static final long LINK_DELAY_MS = 300;
    private static final Duration KNATIVE_GRACE = Duration.ofSeconds(30);

    private static Fleet fleet;
    private static int backendPort;
    private static TcpProxy link;
    private static String collection;

    @BeforeAll
    static void start() {
        fleet = new Fleet("GracefulShutdownIT");
        Path data = fleet.tempDir("shutdown-backend");
        backendPort = JavaProcess.freePort();
        fleet.backend("backend", backendPort, data, QDRANT_KEY);
        link = TcpProxy.to(backendPort).delay(LINK_DELAY_MS);
    }

    @AfterAll
    static void stop() {
        if (link != null) {
            link.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    private record Outcome(long sigtermNanos, List<Load.Call> beforeSigterm, List<Load.Call> afterSigterm,
                           long exitMillis, int exitCode, Set<String> acknowledged, String log) {
        long inFlightAtSigterm() {
            return beforeSigterm.stream().filter(c -> c.endNanos() > sigtermNanos).count();
        }
    }

    /** Starts an upsert function, loads it with writes, sends SIGTERM mid-load and watches it go. */
    private static Outcome sigtermUnderLoad(String name, Map<String, String> extraEnv) {
        int port = JavaProcess.freePort();
        Map<String, String> env = Fleet.functionEnv(port, "http://127.0.0.1:" + link.port(), QDRANT_KEY, KEY, DIM);
        env.put("QDRANT_TIMEOUT_MS", "10000");
        collection = "shutdown_" + name.replace('-', '_');
        env.put("QDRANT_COLLECTION_NAME", collection);
        env.putAll(extraEnv);
        JavaProcess upsert = fleet.function(name, "upsert", env);
        Http http = Fleet.http(port).apiKey(KEY).timeout(Duration.ofSeconds(30));
        upsert.awaitOk(http, "/readyz", Fleet.STARTUP);
        long user = Data.user();
        Fleet.untilOk(() -> http.post("/memories", Data.memory(Data.memoryId(user), Vectors.random(DIM, 0),
                Data.memoryPayload(user))), Duration.ofSeconds(60));

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Load load = Load.start(WORKERS, (w, n) -> {
            String id = "mem_" + user + "_" + w + "_" + n;
            return new Load.Request(id, () -> {
                var r = http.post("/memories", Data.memory(id, Vectors.random(DIM, n), Data.memoryPayload(user)));
                if (r.status() == 200) {
                    acknowledged.add(id);
                }
                return r;
            });
        });
        Fleet.sleep(3000);
        long sigterm = System.nanoTime();
        upsert.signalTerm();
        int exitCode = upsert.awaitExit(KNATIVE_GRACE.plusSeconds(10));
        long exited = System.nanoTime();
        Fleet.sleep(300);
        List<Load.Call> calls = load.stop();
        List<Load.Call> before = calls.stream().filter(c -> c.startNanos() < sigterm).toList();
        List<Load.Call> after = calls.stream().filter(c -> c.startNanos() >= sigterm).toList();
        return new Outcome(sigterm, before, after, (exited - sigterm) / 1_000_000, exitCode, Set.copyOf(acknowledged),
                upsert.logText());
    }

    @Test
    @Order(1)
    void sigtermFinishesEveryRequestInFlightAndExitsWithinTheGracePeriod() {
        Outcome o = sigtermUnderLoad("upsert", Map.of());
        long inFlightAtSigterm = o.inFlightAtSigterm();
        List<Load.Call> failedBefore = o.beforeSigterm().stream().filter(c -> c.status() != 200).toList();
        List<Load.Call> wrongAfter = o.afterSigterm().stream().filter(c -> c.status() >= 300).toList();
        Set<String> stored = new HashSet<>(StoreSnapshot.pointIds(URI.create("http://127.0.0.1:" + backendPort),
                QDRANT_KEY, collection));
        Set<String> lost = new HashSet<>(o.acknowledged());
        lost.removeAll(stored);

        System.out.println("SHUTDOWN: SIGTERM with " + WORKERS + " writers busy (each Qdrant call slowed to >= "
                + 2 * LINK_DELAY_MS + " ms); requests started before SIGTERM " + o.beforeSigterm().size()
                + " by status " + Load.byStatus(o.beforeSigterm()) + ", after " + o.afterSigterm().size() + " by status "
                + Load.byStatus(o.afterSigterm()) + " (-1 = refused: listener closed); in flight at SIGTERM "
                + inFlightAtSigterm);
        System.out.println("SHUTDOWN: exited " + o.exitMillis() + " ms after SIGTERM with code " + o.exitCode()
                + " (grace " + KNATIVE_GRACE.toSeconds() + " s); writes acknowledged " + o.acknowledged().size()
                + ", found in the backend " + (o.acknowledged().size() - lost.size()) + ", lost " + lost.size());
        failedBefore.stream().limit(10).forEach(c -> System.out.println("SHUTDOWN: FAILED IN FLIGHT " + c));

        assertTrue(o.exitCode() >= 0, "still running " + KNATIVE_GRACE.plusSeconds(10) + " after SIGTERM");
        assertTrue(o.exitMillis() < KNATIVE_GRACE.toMillis(), "exit took " + o.exitMillis() + " ms");
        assertTrue(inFlightAtSigterm >= WORKERS / 2, "too little in flight to judge: " + inFlightAtSigterm);
        assertEquals(List.of(), failedBefore.stream().map(Load.Call::toString).toList(),
                "requests sent before SIGTERM must all succeed");
        assertEquals(List.of(), wrongAfter.stream().map(Load.Call::toString).toList(),
                "after SIGTERM a request is served or refused at the door, never failed");
        assertEquals(Set.of(), lost, "acknowledged writes missing from the backend");
        assertTrue(o.log().contains("stopped") && o.log().contains("after SIGTERM"), "no shutdown line in the log");
        // One log line per request, also for those finished during the shutdown (the warm-up write is one more).
        long logged = o.log().lines().filter(l -> l.contains("\"route\":\"POST /memories\",\"status\":200")).count();
        assertEquals(o.acknowledged().size() + 1, logged, "request log lines of acknowledged writes");
    }

    @Test
    @Order(2)
    void controlAGracePeriodShorterThanTheRequestsFailsThem() {
        Outcome o = sigtermUnderLoad("upsert-short-grace", Map.of("SHUTDOWN_DRAIN_MS", "0",
                "SHUTDOWN_GRACE_MS", "50"));
        List<Load.Call> failedBefore = new ArrayList<>(o.beforeSigterm().stream().filter(c -> c.status() != 200)
                .toList());
        System.out.println("SHUTDOWN CONTROL: grace 50 ms: requests started before SIGTERM by status "
                + Load.byStatus(o.beforeSigterm()) + ", in flight at SIGTERM " + o.inFlightAtSigterm() + ", exit after "
                + o.exitMillis() + " ms");
        assertTrue(!failedBefore.isEmpty(), "with a 50 ms grace period the in-flight requests should have failed: "
                + "the test could not tell a graceful shutdown from an abrupt one");
    }
}
