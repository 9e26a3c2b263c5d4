package io.vectormemory.tests.reliability;

import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.JavaProcess;
import io.vectormemory.tests.support.ProcessStats;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Clients that stop half-way through a request, against the packaged local launcher with
 * {@code HTTP_READ_TIMEOUT_MS=2000}: every such connection is answered 408 and closed within the timeout plus one
 * second, the server's open descriptors go back to where they were, and ordinary requests are served meanwhile
 * without an error. Keep-alive connections that wait between requests are left alone until
 * {@code HTTP_IDLE_TIMEOUT_MS}, then closed.
 */
class StalledClientsIT {
    private static final String KEY = "stalled-test-service-key-0123456789abcdef";
    private static final long READ_TIMEOUT_MS = 2_000;
    private static final long IDLE_TIMEOUT_MS = 6_000;
    private static final int STALLED = 200;
    /** Closed within the timeout plus one second of the client's last byte. */
    private static final long CLOSED_WITHIN_MS = READ_TIMEOUT_MS + 1_000;

    private static Fleet fleet;
    private static JavaProcess local;
    private static int port;
    private static Http http;

    @BeforeAll
    static void start() {
        assumeTrue(ProcessStats.supported(), "needs /proc to count the server's descriptors");
        fleet = new Fleet("StalledClientsIT");
        Path data = fleet.tempDir("stalled-local");
        port = JavaProcess.freePort();
        local = fleet.start("local", Fleet.jar("local"), Map.of("PORT", Integer.toString(port),
                "LOCAL_DATA_DIR", data.toString(), "SERVICE_API_KEY", KEY,
                "HTTP_READ_TIMEOUT_MS", Long.toString(READ_TIMEOUT_MS),
                "HTTP_IDLE_TIMEOUT_MS", Long.toString(IDLE_TIMEOUT_MS)), List.of());
        http = Fleet.http(port).apiKey(KEY);
        local.awaitOk(http, "/readyz", Fleet.STARTUP);
        Fleet.untilOk(() -> http.get("/health"), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    /** What a stalled client saw: the first bytes of an answer (if any) and when the server closed. */
    private record Stalled(String kind, long lastByteNanos, long closedNanos, String answer) {
        long closedAfterMillis() {
            return (closedNanos - lastByteNanos) / 1_000_000;
        }

        int status() {
            return answer.startsWith("HTTP/1.1 ") && answer.length() >= 12 ? Integer.parseInt(answer.substring(9, 12))
                    : -1;
        }
    }

    @Test
    void stalledRequestsAreAnswered408AndClosedOnTimeWhileOthersAreServed() throws Exception {
        long user = Data.user();
        String memory = Data.memory("mem_" + user + "_1", Vectors.random(1024, 1), Data.memoryPayload(user));
        assertEquals(200, http.post("/memories", memory).status());

        // Ordinary clients all along: searches and health checks on their own connections.
        AtomicBoolean stop = new AtomicBoolean();
        List<Response> served = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        String search = "{\"query_vector\":" + Vectors.json(Vectors.random(1024, 2)) + ",\"user_id\":" + user
                + ",\"limit\":5,\"min_score\":0}";
        List<Thread> ordinary = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int worker = w;
            ordinary.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try {
                        served.add(worker % 2 == 0 ? http.post("/memories/search", search) : http.get("/health"));
                    } catch (UncheckedIOException e) {
                        failures.add(e.getMessage());
                    }
                }
            }));
        }
        Fleet.sleep(1_000);
        int baseline = ProcessStats.of(local.pid()).openFds();

        Map<Integer, Stalled> stalled = new ConcurrentHashMap<>();
        int peakFds;
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < STALLED; i++) {
                int n = i;
                String kind = i % 2 == 0 ? "mid-headers" : "mid-body";
                String request = kind.equals("mid-headers")
                        ? "POST /memories/search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl"
                        : "POST /memories HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "X-API-Key: " + KEY + "\r\nContent-Length: 100\r\n\r\n{\"point_id\":";
                all.add(readers.submit(() -> stalled.put(n, stall(kind, request))));
            }
            Fleet.sleep(READ_TIMEOUT_MS / 2);
            peakFds = ProcessStats.of(local.pid()).openFds();
            for (Future<?> f : all) {
                f.get();
            }
        }
        long settleDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int after = ProcessStats.of(local.pid()).openFds();
        while (after > baseline && System.nanoTime() < settleDeadline) {
            Fleet.sleep(100);
            after = ProcessStats.of(local.pid()).openFds();
        }
        stop.set(true);
        for (Thread t : ordinary) {
            t.join(30_000);
        }

        List<Long> millis = stalled.values().stream().map(Stalled::closedAfterMillis).sorted().toList();
        Map<String, Map<Integer, Long>> statuses = stalled.values().stream().collect(Collectors.groupingBy(
                Stalled::kind, java.util.TreeMap::new,
                Collectors.groupingBy(Stalled::status, java.util.TreeMap::new, Collectors.counting())));
        List<Response> errors = served.stream().filter(r -> r.status() != 200).toList();
        System.out.printf("STALLED: %d connections (half mid-headers, half mid-body), read timeout %d ms: closed "
                        + "after min %d / median %d / max %d ms; answers by kind %s; server descriptors %d before, "
                        + "%d with the stalled connections open, %d after; %d ordinary requests meanwhile, %d errors, "
                        + "%d failed connections%n", STALLED, READ_TIMEOUT_MS, millis.getFirst(),
                millis.get(millis.size() / 2), millis.getLast(), statuses, baseline, peakFds, after, served.size(),
                errors.size(), failures.size());

        assertEquals(STALLED, stalled.size());
        assertTrue(peakFds >= baseline + STALLED / 2, "the stalled connections were not all accepted: " + peakFds);
        for (Stalled s : stalled.values()) {
            assertEquals(408, s.status(), () -> s.kind() + " got: " + s.answer());
            assertTrue(s.answer().contains("{\"error\":\"Request Timeout\",\"status\":408}"), s::answer);
            assertTrue(s.closedAfterMillis() >= READ_TIMEOUT_MS - 100, () -> "closed too early: " + s);
            assertTrue(s.closedAfterMillis() <= CLOSED_WITHIN_MS, () -> "closed too late: " + s);
        }
        assertTrue(after <= baseline + 2, "descriptors did not return to their baseline " + baseline + ": " + after);
        // The stalled bodies are logged and counted as what they got: 408.
        Fleet.sleep(500);
        long logged408 = local.logText().lines()
                .filter(l -> l.contains("\"route\":\"POST /memories\",\"status\":408")).count();
        assertEquals(STALLED / 2, logged408, "access log lines of the stalled bodies with status 408");
        assertEquals(List.of(), failures);
        assertEquals(List.of(), errors.stream().limit(5).map(Response::toString).toList());
        assertTrue(served.size() >= 20, "too few ordinary requests served: " + served.size());
    }

    @Test
    void idleKeepAliveConnectionsWaitUntilTheIdleTimeoutAndSilentNewOnesUntilTheReadTimeout() throws Exception {
        try (Socket keepAlive = connect(); Socket silent = connect();
             ExecutorService watcher = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            Future<Stalled> silentClosed = watcher.submit(() -> awaitClose("silent", silent, start));
            // A request, then silence: the connection stays up past the read timeout (it is idle, not stalled)...
            String request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + KEY + "\r\n\r\n";
            keepAlive.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(keepAlive.getInputStream()).startsWith("HTTP/1.1 200"));
            long answered = System.nanoTime();
            Fleet.sleep(READ_TIMEOUT_MS + 1_500);
            keepAlive.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            assertTrue(readResponse(keepAlive.getInputStream()).startsWith("HTTP/1.1 200"),
                    "a keep-alive connection idle for longer than the read timeout must still serve");
            long secondAnswer = System.nanoTime();

            // ...a connection that never sent anything is closed at the read timeout, without an answer...
            Stalled silentEnd = silentClosed.get();
            assertEquals("", silentEnd.answer());
            assertTrue(silentEnd.closedAfterMillis() >= READ_TIMEOUT_MS - 100, silentEnd::toString);
            assertTrue(silentEnd.closedAfterMillis() <= CLOSED_WITHIN_MS, silentEnd::toString);

            // ...and the idle one at the idle timeout (Helidon checks a tenth of it apart, its clock ticks each
            // second).
            Stalled idleEnd = awaitClose("idle", keepAlive, secondAnswer);
            System.out.printf("STALLED: silent new connection closed after %d ms (read timeout %d ms); idle "
                            + "keep-alive connection served again after %d ms of silence, then closed after %d ms "
                            + "(idle timeout %d ms)%n", silentEnd.closedAfterMillis(), READ_TIMEOUT_MS,
                    (secondAnswer - answered) / 1_000_000, idleEnd.closedAfterMillis(), IDLE_TIMEOUT_MS);
            assertEquals("", idleEnd.answer());
            assertTrue(idleEnd.closedAfterMillis() >= IDLE_TIMEOUT_MS - 1_000, idleEnd::toString);
            assertTrue(idleEnd.closedAfterMillis() <= IDLE_TIMEOUT_MS + 4_000, idleEnd::toString);
        }
    }

    @Test
    void aBodyLeftUnreadAfterTheAnswerIsNotWaitedForForever() throws Exception {
        // Refused before its body is read (wrong key): Helidon then reads the announced body to keep the connection,
        // and the client never sends it. The 401 is the only answer; the connection closes at the read timeout.
        try (Socket s = connect()) {
            s.getOutputStream().write(("POST /memories HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                    + "\r\nX-API-Key: wrong\r\nContent-Length: 10\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long sent = System.nanoTime();
            Stalled end = awaitClose("unread body", s, sent);
            assertTrue(end.answer().startsWith("HTTP/1.1 401"), end::answer);
            assertFalse(end.answer().contains("408"), end::answer);
            assertTrue(end.closedAfterMillis() <= CLOSED_WITHIN_MS, end::toString);
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout((int) (IDLE_TIMEOUT_MS + 30_000));
        return s;
    }

    /** Opens a connection, sends the first part of a request and waits for the server to close it. */
    private static Stalled stall(String kind, String partialRequest) {
        try (Socket s = connect()) {
            s.getOutputStream().write(partialRequest.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return awaitClose(kind, s, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until the server closes (or resets) the connection. */
    private static Stalled awaitClose(String kind, Socket s, long since) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            InputStream in = s.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (IOException e) {
            // a reset also ends the connection
        }
        return new Stalled(kind, since, System.nanoTime(), got.toString(StandardCharsets.UTF_8));
    }

    /** One response with a Content-Length body, read off a keep-alive connection. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString(StandardCharsets.US_ASCII);
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
