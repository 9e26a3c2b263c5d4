package io.vectormemory.http.server;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.common.task.InterruptableTask;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.vectormemory.http.RequestTimeoutException;
import io.vectormemory.http.json.CompactJson;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * {@code HTTP_READ_TIMEOUT_MS} on the server's HTTP/1.1 connections: a connection whose socket read has waited that
 * long while a request line, headers or body is expected is answered 408 (when part of a request has arrived and
 * no response has started) and closed.
 * <p>
 * Helidon 4.5 has no read timeout for accepted connections: the listener's socket options carry none, and its
 * idle-connection pruner only interrupts a connection that waits for the first line of a request, so a client
 * that stops in the middle of its headers or body held the connection forever. Here every read from the socket of a connection goes through {@link Guarded#get}, which
 * notes when it started; a timer closes the sockets of reads that have waited too long. A keep-alive connection
 * waiting for its next request is not timed here: that is Helidon's pruner's job ({@code HTTP_IDLE_TIMEOUT_MS},
 * see {@link ApiServer#config}).
 */
final class ReadTimeouts implements Http1ConnectionListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReadTimeouts.class.getName());
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-read-timeouts");
        t.setDaemon(true);
        return t;
    });
    private static final long NOT_READING = Long.MIN_VALUE;
    private static final long TIMED_OUT = Long.MIN_VALUE + 1;
    private static final long UNTIMED = Long.MIN_VALUE + 2;

    private final long timeoutNanos;
    private final Set<Guarded> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> checks;

    ReadTimeouts(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        // a stalled read is closed at most one check period after its timeout
        long period = Math.clamp(timeout.toMillis() / 8, 25, 1000);
        this.checks = TIMER.scheduleWithFixedDelay(this::closeStalled, period, period, TimeUnit.MILLISECONDS);
    }

    /** The listener's only connection selector: Helidon's HTTP/1.1 one, on connections whose reads are timed. */
    ServerConnectionSelector selector(Http1Config.Builder http1) {
        Http1ConnectionSelector plain = Http1ConnectionSelector.builder()
                .config(http1.addReceiveListener(this).addSendListener(this).build())
                .build();
        return new Selector(plain);
    }

    /** Connections whose reads are timed now (for tests). */
    int connections() {
        return connections.size();
    }

    @Override
    public void close() {
        checks.cancel(false);
    }

    private void closeStalled() {
        long now = System.nanoTime();
        for (Guarded c : connections) {
            c.closeIfStalled(now);
        }
    }

    // A request line has been read: a new request on the connection.
    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        if (ctx instanceof Guarded c) {
            c.requests++;
            c.nextRequestStarted = false;
            c.responseStarted = false;
        }
    }

    // Sent as a send listener: the response to the current request has started.
    @Override
    public void status(ConnectionContext ctx, Status status) {
        if (ctx instanceof Guarded c) {
            c.responseStarted = true;
        }
    }

    private final class Selector implements ServerConnectionSelector {
        private final Http1ConnectionSelector http1;

        private Selector(Http1ConnectionSelector http1) {
            this.http1 = http1;
        }

        @Override
        public int bytesToIdentifyConnection() {
            return http1.bytesToIdentifyConnection();
        }

        @Override
        public Support supports(BufferData data) {
            return http1.supports(data);
        }

        @Override
        public Set<String> supportedApplicationProtocols() {
            return http1.supportedApplicationProtocols();
        }

        @Override
        public ServerConnection connection(ConnectionContext ctx) {
            Guarded guarded = new Guarded(ctx);
            ServerConnection connection = http1.connection(guarded);
            guarded.connection = connection;
            return new TimedConnection(connection, guarded);
        }
    }

    /** Registered while Helidon handles it, so the timer sees it; otherwise Helidon's connection unchanged. */
    private final class TimedConnection implements ServerConnection, InterruptableTask<Void> {
        private final ServerConnection delegate;
        private final Guarded guarded;

        private TimedConnection(ServerConnection delegate, Guarded guarded) {
            this.delegate = delegate;
            this.guarded = guarded;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            connections.add(guarded);
            try {
                delegate.handle(limit);
            } finally {
                connections.remove(guarded);
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }

        @Override
        public boolean canInterrupt() {
            return delegate instanceof InterruptableTask<?> task && task.canInterrupt();
        }
    }

    /**
     * A connection's context as Helidon built it, but whose data reader times every read from the socket. Fields
     * other than {@link #read} are written by the connection's own thread only.
     */
    private final class Guarded implements ConnectionContext {
        private final ConnectionContext ctx;
        private final HelidonSocket socket;
        private final DataReader reader;
        /** Bytes read before this connection was chosen, not yet handed on. */
        private byte[] identified;
        /** When the read in progress started, or one of NOT_READING, TIMED_OUT, UNTIMED. */
        private final AtomicLong read = new AtomicLong(NOT_READING);
        private volatile ServerConnection connection;
        private volatile int requests;
        /** Bytes of the next request line have come since the last one was read. */
        private volatile boolean nextRequestStarted;
        private volatile boolean responseStarted;

        private Guarded(ConnectionContext ctx) {
            this.ctx = ctx;
            this.socket = ctx.serverSocket();
            // Bytes the server may already have read to choose the connection's protocol (it does under Helidon's
            // @ServerTest) are in the context's reader: they come first, or that request would never be read.
            DataReader identifying = ctx.dataReader();
            int pending = identifying.available();
            this.identified = pending > 0 ? identifying.readBytes(pending) : null;
            this.reader = DataReader.create(this::get);
        }

        /** What Helidon's own connection handler reads through, with the same mapping of socket failures. */
        private byte[] get() {
            byte[] first = identified;
            if (first != null) {
                identified = null;
                nextRequestStarted = true;
                return first;
            }
            boolean waitingForRequestLine = waitingForRequestLine();
            // After a request, waiting for the next one is being idle (pruned by Helidon); a new connection must
            // start its first request within the read timeout, and a started request must keep coming.
            long started = waitingForRequestLine && !nextRequestStarted && requests > 0 ? UNTIMED : System.nanoTime();
            if (!read.compareAndSet(NOT_READING, started)) {
                throw timedOut();
            }
            byte[] bytes;
            try {
                bytes = socket.get();
            } catch (UncheckedIOException e) {
                endRead(started);
                throw new ServerConnectionException("Failed to get data from socket", e);
            } catch (RuntimeException e) {
                endRead(started);
                throw e;
            }
            endRead(started);
            if (bytes != null && waitingForRequestLine) {
                nextRequestStarted = true;
            }
            return bytes;
        }

        private void endRead(long started) {
            if (!read.compareAndSet(started, NOT_READING)) {
                throw timedOut();
            }
        }

        private boolean waitingForRequestLine() {
            ServerConnection c = connection;
            return c instanceof InterruptableTask<?> task && task.canInterrupt();
        }

        /** On the timer's thread: ends a read that has waited too long (the connection's thread is inside it). */
        void closeIfStalled(long now) {
            long started = read.get();
            if (started == NOT_READING || started == TIMED_OUT || started == UNTIMED || now - started < timeoutNanos
                    || !read.compareAndSet(started, TIMED_OUT)) {
                return;
            }
            // From here the connection's thread only throws (timedOut): this thread alone writes to the socket.
            boolean partOfARequest = !responseStarted && (nextRequestStarted || !waitingForRequestLine());
            LOG.fine(() -> "Closing connection " + ctx.socketId() + " " + ctx.childSocketId() + ": no data for "
                    + Duration.ofNanos(now - started).toMillis() + " ms" + (partOfARequest ? " mid-request" : ""));
            if (partOfARequest) {
                try {
                    ctx.dataWriter().writeNow(BufferData.create(requestTimeout()));
                } catch (RuntimeException e) {
                    // the client is gone or not reading: closing is all that is left
                }
            }
            try {
                socket.close();
            } catch (RuntimeException e) {
                // already closed
            }
        }

        private RequestTimeoutException timedOut() {
            return new RequestTimeoutException(timeoutNanos / 1_000_000);
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return socket;
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }
    }

    /** The whole 408 response, in the JSON shape of every other error; the connection closes after it. */
    private static byte[] requestTimeout() {
        byte[] body = CompactJson.bytes(JSON.createObjectBuilder()
                .add("error", Status.REQUEST_TIMEOUT_408.reasonPhrase())
                .add("status", Status.REQUEST_TIMEOUT_408.code())
                .build());
        String head = "HTTP/1.1 408 Request Timeout\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Access-Control-Allow-Origin: *\r\n"
                + "x-request-id: " + UUID.randomUUID() + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
