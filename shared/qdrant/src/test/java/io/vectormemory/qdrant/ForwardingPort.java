package io.vectormemory.qdrant;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback port that forwards every connection to a backend, byte for byte, until closed: a backend that can be
 * "stopped" without stopping it (the conformance run's disposable backend).
 */
final class ForwardingPort implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private boolean closed;

    private ForwardingPort(ServerSocket server) {
        this.server = server;
    }

    static ForwardingPort to(String host, int port) {
        ForwardingPort forwarding;
        try {
            forwarding = new ForwardingPort(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("forwarding-accept").start(() -> forwarding.accept(host, port));
        return forwarding;
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept(String host, int port) {
        try {
            while (true) {
                Socket client = server.accept();
                if (!track(client)) {
                    return;
                }
                try {
                    Socket backend = new Socket(host, port);
                    if (!track(backend)) {
                        client.close();
                        return;
                    }
                    Thread.ofVirtual().start(() -> copy(client, backend));
                    Thread.ofVirtual().start(() -> copy(backend, client));
                } catch (IOException e) {
                    client.close();
                }
            }
        } catch (IOException closed) {
            // close() ends the loop
        }
    }

    /**
     * Keeps a socket for {@link #close()}, or closes it if that already ran: a connection accepted while the port
     * closes must not outlive it (the relay would go on serving a "stopped" backend).
     */
    private synchronized boolean track(Socket socket) throws IOException {
        if (closed) {
            socket.close();
            return false;
        }
        sockets.add(socket);
        return true;
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ended) {
            // either side closed
        } finally {
            try {
                to.close();
                from.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** Refuses new connections and cuts the open ones, as a stopped backend would. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
