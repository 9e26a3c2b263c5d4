package io.vectormemory.embedded;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Standalone embedded Qdrant:
 * {@code java --add-modules jdk.incubator.vector -jar shared/embedded/target/embedded-qdrant.jar}
 * (the flag enables Lucene's SIMD vector code; without it search is several times slower).
 *
 * <p>Environment:
 * <ul>
 *   <li>{@code QDRANT_GRPC_HOST}: address to listen on, default {@code 127.0.0.1} (this machine only);
 *       {@code 0.0.0.0} listens on all interfaces, and without a key that is logged as a warning;</li>
 *   <li>{@code QDRANT_GRPC_PORT}: gRPC port, default 6334;</li>
 *   <li>{@code EMBEDDED_DATA_DIR}: data directory, default {@code ./data/embedded};</li>
 *   <li>{@code QDRANT_API_KEY}: API key required from clients; unset or empty disables it;</li>
 *   <li>{@code EMBEDDED_STORAGE}: {@code lucene} (default: persistent), {@code memory} (nothing kept) or
 *       {@code journaled-memory} (in memory, rebuilt from the full journal at start; the first release's
 *       design, kept as a baseline).</li>
 * </ul>
 * Stops gracefully on SIGTERM/SIGINT: running calls finish, then a checkpoint makes the next start
 * replay nothing.
 */
public final class Main {

    public static final String ENV_HOST = "QDRANT_GRPC_HOST";
    public static final String ENV_PORT = "QDRANT_GRPC_PORT";
    public static final String ENV_DATA_DIR = "EMBEDDED_DATA_DIR";
    public static final String ENV_API_KEY = "QDRANT_API_KEY";
    public static final String ENV_STORAGE = "EMBEDDED_STORAGE";
    public static final int DEFAULT_PORT = 6334;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final String DEFAULT_DATA_DIR = "./data/embedded";

    /** Held so the level set on it is not lost to garbage collection. */
    private static final Logger NETTY_LOG = Logger.getLogger("io.grpc.netty.shaded");

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("java.util.logging.config.file") == null) {
            if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
                System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
            }
            // the transport's informational lines (e.g. about epoll) are noise for this server
            NETTY_LOG.setLevel(Level.WARNING);
        }
        Logger log = Logger.getLogger(Main.class.getName());
        EmbeddedQdrant.Options options;
        try {
            options = options(System.getenv(ENV_HOST), System.getenv(ENV_PORT), System.getenv(ENV_DATA_DIR),
                    System.getenv(ENV_API_KEY), System.getenv(ENV_STORAGE));
        } catch (IllegalArgumentException e) {
            log.severe(e.getMessage());
            System.exit(2);
            return;
        }
        EmbeddedQdrant server;
        try {
            server = EmbeddedQdrant.start(options);
        } catch (IOException e) {
            log.log(Level.SEVERE, "Cannot start embedded Qdrant: " + e.getMessage(), e);
            System.exit(1);
            return;
        }
        openToTheNetworkWithoutKey(options).ifPresent(log::warning);
        serialCollector(ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList()).ifPresent(log::warning);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-qdrant-shutdown"));
        server.awaitTermination();
    }

    /** Options from the environment values (null = unset). */
    static EmbeddedQdrant.Options options(String port, String dataDir, String apiKey) {
        return options(null, port, dataDir, apiKey, null);
    }

    /** Options from the environment values (null = unset). */
    static EmbeddedQdrant.Options options(String host, String port, String dataDir, String apiKey, String storage) {
        String bind = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        int p = DEFAULT_PORT;
        if (port != null && !port.isBlank()) {
            try {
                p = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(ENV_PORT + " is not a port number: " + port);
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(ENV_PORT + " is out of range: " + port);
            }
        }
        Path dir = Path.of(dataDir == null || dataDir.isBlank() ? DEFAULT_DATA_DIR : dataDir.trim());
        EmbeddedQdrant.Storage kind = EmbeddedQdrant.Storage.LUCENE;
        if (storage != null && !storage.isBlank()) {
            kind = switch (storage.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "lucene" -> EmbeddedQdrant.Storage.LUCENE;
                case "memory" -> EmbeddedQdrant.Storage.MEMORY;
                case "journaled-memory" -> EmbeddedQdrant.Storage.JOURNALED_MEMORY;
                default -> throw new IllegalArgumentException(ENV_STORAGE
                        + " must be lucene, memory or journaled-memory: " + storage);
            };
        }
        return EmbeddedQdrant.Options.standalone(p, kind == EmbeddedQdrant.Storage.MEMORY ? null : dir, apiKey)
                .withBindAddress(bind)
                .withStorage(kind);
    }

    /**
     * The warning for a JVM that chose the Serial collector (the default on fewer than 2 CPUs, e.g. bench/run's
     * pinned backend): it reclaims the old generation only in full collections, so under writes the heap grows by
     * what each young collection promotes (buffered documents, batches in flight) and young pauses reach 150-370 ms,
     * later a full collection of that heap; with G1 they stay under ~110 ms ({@code shared/embedded/bench.sh tail}).
     */
    static Optional<String> serialCollector(List<String> collectors) {
        if (!collectors.contains("MarkSweepCompact")) {
            return Optional.empty();
        }
        return Optional.of("The JVM chose the Serial garbage collector (it does on fewer than 2 CPUs): its "
                + "pauses stop every request, hundreds of milliseconds each under a write load. Start the server with "
                + "-XX:+UseG1GC");
    }

    /**
     * The warning for a server other machines can reach (any address but loopback) that anyone may call
     * (no key); empty otherwise.
     */
    static Optional<String> openToTheNetworkWithoutKey(EmbeddedQdrant.Options options) {
        if (options.apiKey() != null || loopback(options.bindAddress())) {
            return Optional.empty();
        }
        return Optional.of("Listening on " + options.bindAddress() + " WITHOUT an API key: anyone who can "
                + "reach this address can read and change every collection. Set " + ENV_API_KEY + ", or "
                + ENV_HOST + "=127.0.0.1 to listen on this machine only");
    }

    private static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false; // the bind itself reports it
        }
    }
}
