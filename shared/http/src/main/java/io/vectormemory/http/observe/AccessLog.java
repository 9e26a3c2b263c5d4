package io.vectormemory.http.observe;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes the per-request log lines to stderr from one background thread, many lines per write. A request's
 * virtual thread only queues its line: writing it itself blocked on the stream's lock and the file write, which
 * under load was a large share of a search's CPU (and extra carrier threads). When the queue is full the request
 * writes its line itself, so lines are never dropped; {@link #flush()} at shutdown writes what is left. A line
 * reaches stderr at most ~10 ms after its request ended.
 */
public final class AccessLog {
    private static final int CAPACITY = 8192;
    private static final long LINGER_MILLIS = 10;
    private static final BlockingQueue<byte[]> QUEUE = new ArrayBlockingQueue<>(CAPACITY);
    private static final Object WRITE_LOCK = new Object();

    static {
        Thread writer = Thread.ofPlatform().daemon().name("access-log").unstarted(AccessLog::drainForever);
        writer.start();
    }

    private AccessLog() {
    }

    /** Queues the log line of one request. */
    public static void write(Instant time, String requestId, String function, String route, int status, long nanos,
                             long qdrantNanos) {
        write((line(time, requestId, function, route, status, nanos, qdrantNanos) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A request's log line, one JSON object written by hand: it is built for every request, and a JSON object
     * builder per line cost more than the rest of logging. Only the request id comes from the client; the request
     * filter lets through visible ASCII only, which may hold quotes or backslashes, so it is escaped.
     */
    static String line(Instant time, String requestId, String function, String route, int status, long nanos,
                       long qdrantNanos) {
        StringBuilder line = new StringBuilder(200)
                .append("{\"time\":\"").append(time)
                .append("\",\"request_id\":\"");
        for (int i = 0; i < requestId.length(); i++) {
            char c = requestId.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\');
            }
            line.append(c);
        }
        return line.append("\",\"function\":\"").append(function)
                .append("\",\"route\":\"").append(route)
                .append("\",\"status\":").append(status)
                .append(",\"latency_ms\":").append(nanos / 1e6)
                .append(",\"qdrant_ms\":").append(qdrantNanos / 1e6)
                .append('}').toString();
    }

    /** Queues one complete line (newline included). */
    private static void write(byte[] line) {
        if (!QUEUE.offer(line)) {
            writeNow(List.of(line));
        }
    }

    /** Writes every queued line now; called once no more requests run. */
    public static void flush() {
        List<byte[]> lines = new ArrayList<>();
        QUEUE.drainTo(lines);
        writeNow(lines);
    }

    private static void drainForever() {
        List<byte[]> lines = new ArrayList<>();
        while (true) {
            try {
                lines.add(QUEUE.take());
                // Let the lines of a burst gather: a request only wakes this thread when it is waiting in take(),
                // so under load it wakes ~100 times a second instead of once per request.
                Thread.sleep(LINGER_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            QUEUE.drainTo(lines, 1024);
            writeNow(lines);
            lines.clear();
        }
    }

    private static void writeNow(List<byte[]> lines) {
        if (lines.isEmpty()) {
            return;
        }
        ByteArrayOutputStream batch = new ByteArrayOutputStream(lines.size() * 256);
        for (byte[] line : lines) {
            batch.writeBytes(line);
        }
        synchronized (WRITE_LOCK) { // the writer thread and a flush at shutdown: one batch after the other
            PrintStream err = System.err;
            err.write(batch.toByteArray(), 0, batch.size());
            err.flush();
        }
    }
}
