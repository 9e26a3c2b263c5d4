package io.vectormemory.http.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a function's web server listens, authenticates and takes load.
 *
 * @param host           address to listen on
 * @param port           HTTP port (0: any free one)
 * @param serviceApiKeys API keys, several at once during a rotation
 * @param authDisabled   every route open (explicit opt-out)
 * @param mode           production refuses short API keys
 * @param tls            HTTPS for the listener, when a certificate is configured
 * @param lifecycle      backpressure, stalled clients and shutdown
 */
public record ServerSettings(String host, int port, List<String> serviceApiKeys, boolean authDisabled, Mode mode,
                             Optional<ServerTls> tls, Lifecycle lifecycle) {

    public ServerSettings {
        serviceApiKeys = List.copyOf(serviceApiKeys);
    }

    /** Production refuses short API keys; development does not. */
    public enum Mode { PRODUCTION, DEVELOPMENT }

    /** HTTPS for the function's own listener: a PEM certificate chain and its PEM private key. */
    public record ServerTls(Path certificate, Path privateKey) {
    }

    /**
     * How the process takes load and lets go of it.
     *
     * @param maxConcurrentRequests requests served at once before new ones get 503 with Retry-After (0: no limit)
     * @param readTimeoutMillis     how long a connection may stay silent while a request (line, headers or body) is
     *                              being read, before the server gives up on it: a client that stalls mid-request
     *                              holds a connection and a thread no longer than this (a new connection's first
     *                              request line counts as being read)
     * @param idleTimeoutMillis     how long a keep-alive connection may wait for its next request before it is closed
     * @param shutdownDrainMillis   after SIGTERM, how long the listener keeps accepting while readiness reports 503
     *                              and every response closes its connection, so clients and load balancers move away
     * @param shutdownGraceMillis   then, how long requests in flight get to finish before they are interrupted
     */
    public record Lifecycle(int maxConcurrentRequests, long readTimeoutMillis, long idleTimeoutMillis,
                            long shutdownDrainMillis, long shutdownGraceMillis) {
        public static final Lifecycle DEFAULT = new Lifecycle(0, 30_000, 120_000, 500, 10_000);
    }

    /** Never the keys: a record's default toString would print them. */
    @Override
    public String toString() {
        return "ServerSettings[host=" + host + " port=" + port + " auth="
                + (authDisabled ? "DISABLED" : serviceApiKeys.size() + " key(s)") + "]";
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, serviceApiKeys, authDisabled, mode, tls, lifecycle);
    }
}
