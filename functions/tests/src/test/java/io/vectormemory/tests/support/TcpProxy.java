package io.vectormemory.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * A TCP proxy on loopback in front of a backend, for faults the backend itself cannot produce: a slow network
 * (every chunk held back {@link #delay(long)} ms, in both directions) and TLS termination (clients speak TLS with
 * ALPN {@code h2}, as gRPC requires; the backend gets plain bytes).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private volatile long delayMillis;
    private volatile boolean closed;

    private TcpProxy(ServerSocket listener, InetSocketAddress upstream) {
        this.listener = listener;
        this.upstream = upstream;
        Thread.ofPlatform().daemon().name("tcp-proxy-accept-" + listener.getLocalPort()).start(this::accept);
    }

    /** A plain TCP proxy to the upstream port on loopback. */
    public static TcpProxy to(int upstreamPort) {
        try {
            return new TcpProxy(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A proxy that terminates TLS (server certificate from the context, ALPN h2) in front of a plain upstream. */
    public static TcpProxy tlsTo(int upstreamPort, SSLContext serverTls) {
        try {
            SSLServerSocket s = (SSLServerSocket) serverTls.getServerSocketFactory()
                    .createServerSocket(0, 200, InetAddress.getLoopbackAddress());
            SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2"});
            s.setSSLParameters(p);
            return new TcpProxy(s, new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Holds every chunk back this long before passing it on (0: no delay). Applies to data read from now on. */
    public TcpProxy delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    /** Connections accepted so far. */
    public long connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            open.add(client);
            Thread.ofVirtual().start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        open.add(server);
        try {
            server.connect(upstream, 5000);
            server.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(server);
            return;
        }
        Thread.ofVirtual().start(() -> pump(client, server));
        pump(server, client);
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                long d = delayMillis;
                if (d > 0) {
                    Thread.sleep(d);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away: end both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops accepting and cuts every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }
}
