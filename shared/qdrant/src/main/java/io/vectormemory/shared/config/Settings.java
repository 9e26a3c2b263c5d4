package io.vectormemory.shared.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Effective configuration of one function process, read from the environment (DESIGN §5).
 * Every bad value is reported at once, with the variable's name, so a pod fails fast with one clear message.
 */
public record Settings(
        URI qdrantUrl,
        Optional<String> qdrantApiKey,
        String memoriesCollection,
        String documentsCollection,
        int vectorDimension,
        String host,
        int port,
        List<String> serviceApiKeys,
        boolean authDisabled,
        Mode mode,
        PointIdScheme pointIdScheme,
        long qdrantTimeoutMillis,
        long healthTimeoutMillis,
        long qdrantRequestBudgetMillis,
        int searchMaxLimit,
        int scrollMaxLimit,
        int batchMaxPoints,
        long maxBodyBytes,
        ClusterLayout clusterLayout,
        Optional<ServerTls> serverTls,
        Optional<Path> qdrantCaCert,
        Lifecycle lifecycle) {

    /** HTTPS for the function's own listener: a PEM certificate chain and its PEM private key. */
    public record ServerTls(Path certificate, Path privateKey) {
    }

    /**
     * How the process takes load and lets go of it.
     *
     * @param maxConcurrentRequests requests served at once before new ones get 503 with Retry-After (0: no limit)
     * @param readTimeoutMillis     how long a connection may stay silent while a request (line, headers or body) is
     *                              being read, before the server gives up on it: a client that stalls mid-request
     *                              holds a connection and a thread no longer than this
     * @param shutdownDrainMillis   after SIGTERM, how long the listener keeps accepting while readiness reports 503
     *                              and every response closes its connection, so clients and load balancers move away
     * @param shutdownGraceMillis   then, how long requests in flight get to finish before they are interrupted
     */
    public record Lifecycle(int maxConcurrentRequests, long readTimeoutMillis, long shutdownDrainMillis,
                            long shutdownGraceMillis) {
        public static final Lifecycle DEFAULT = new Lifecycle(0, 30_000, 500, 10_000);
    }

    /**
     * How new collections are laid out on a Qdrant cluster; absent values leave Qdrant's defaults
     * (one shard, no replication), which is what a single node or the embedded backend wants.
     */
    public record ClusterLayout(Optional<Integer> shardNumber, Optional<Integer> replicationFactor,
                                Optional<Integer> writeConsistencyFactor) {
        public static final ClusterLayout SINGLE_NODE =
                new ClusterLayout(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Production refuses short API keys; development does not. */
    public enum Mode { PRODUCTION, DEVELOPMENT }

    public static final int MIN_PRODUCTION_KEY_LENGTH = 32;

    public Settings {
        serviceApiKeys = List.copyOf(serviceApiKeys);
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads settings from a variable map; throws {@link SettingsException} listing every bad value. */
    public static Settings from(Map<String, String> env) {
        Reader r = new Reader(env);
        URI url = r.value("QDRANT_URL", "http://localhost:6334", Settings::qdrantUri);
        Optional<String> qdrantKey = Optional.ofNullable(env.get("QDRANT_API_KEY")).filter(s -> !s.isEmpty());
        String memories = r.value("QDRANT_COLLECTION_NAME", "user_memories", Settings::collectionName);
        String documents = r.value("QDRANT_DOCUMENTS_COLLECTION_NAME", "user_documents", Settings::collectionName);
        int dimension = r.value("QDRANT_VECTOR_DIMENSION", "1024", v -> intIn(v, 1, 65_536));
        String host = r.value("HOST", "0.0.0.0", v -> v);
        int port = r.value("PORT", "8090", v -> intIn(v, 0, 65_535));
        boolean authDisabled = r.value("AUTH_DISABLED", "false", Settings::bool);
        Mode mode = r.value("SERVICE_MODE", "production", v -> Mode.valueOf(oneOf(v, "production", "development")));
        PointIdScheme scheme = r.value("POINT_ID_SCHEME", "siphash", v -> PointIdScheme.valueOf(oneOf(v, "siphash", "uuid5")));
        long timeout = r.value("QDRANT_TIMEOUT_MS", "5000", v -> (long) intIn(v, 1, 600_000));
        long healthTimeout = r.value("HEALTH_TIMEOUT_MS", "1000", v -> (long) intIn(v, 1, 600_000));
        // One request may make several Qdrant calls (a batch in chunks, a scroll in pages); together they wait at
        // most this long, so no request outlives its client by much however slow Qdrant gets.
        long requestBudget = r.value("QDRANT_REQUEST_BUDGET_MS", String.valueOf(Math.max(30_000, timeout)),
                v -> (long) intIn(v, 1, 600_000));
        int searchMax = r.value("SEARCH_MAX_LIMIT", "100", v -> intIn(v, 1, 10_000));
        int scrollMax = r.value("SCROLL_MAX_LIMIT", "10000", v -> intIn(v, 1, 100_000));
        int batchMax = r.value("BATCH_MAX_POINTS", "1000", v -> intIn(v, 1, 100_000));
        long maxBody = r.value("MAX_BODY_BYTES", String.valueOf(32L << 20), v -> (long) intIn(v, 1024, 1 << 30));
        ClusterLayout layout = new ClusterLayout(
                r.optional("QDRANT_SHARD_NUMBER", v -> intIn(v, 1, 1024)),
                r.optional("QDRANT_REPLICATION_FACTOR", v -> intIn(v, 1, 16)),
                r.optional("QDRANT_WRITE_CONSISTENCY_FACTOR", v -> intIn(v, 1, 16)));
        if (layout.writeConsistencyFactor().orElse(1) > layout.replicationFactor().orElse(1)) {
            r.errors.add("QDRANT_WRITE_CONSISTENCY_FACTOR must not exceed QDRANT_REPLICATION_FACTOR");
        }

        // Several keys at once allow rotation: comma-separated, blanks ignored.
        List<String> keys = Arrays.stream(env.getOrDefault("SERVICE_API_KEY", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!authDisabled && keys.isEmpty()) {
            r.errors.add("SERVICE_API_KEY is not set: set it (several keys may be given, comma-separated) "
                    + "or set AUTH_DISABLED=true explicitly");
        }
        if (!authDisabled && mode == Mode.PRODUCTION) {
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).length() < MIN_PRODUCTION_KEY_LENGTH) {
                    r.errors.add("SERVICE_API_KEY: key #" + (i + 1) + " is shorter than " + MIN_PRODUCTION_KEY_LENGTH
                            + " characters, refused in production mode (generate one with `openssl rand -hex 32`)");
                }
            }
        }
        Optional<Path> tlsCert = r.optional("TLS_CERT_PATH", Settings::readableFile);
        Optional<Path> tlsKey = r.optional("TLS_KEY_PATH", Settings::readableFile);
        if (isBlank(env.get("TLS_CERT_PATH")) != isBlank(env.get("TLS_KEY_PATH"))) {
            r.errors.add("TLS_CERT_PATH and TLS_KEY_PATH must be set together (PEM certificate chain and PEM key)");
        }
        Optional<ServerTls> serverTls = tlsCert.flatMap(c -> tlsKey.map(k -> new ServerTls(c, k)));
        Optional<Path> caCert = r.optional("QDRANT_CA_CERT", Settings::readableFile);
        if (caCert.isPresent() && !"https".equals(url.getScheme())) {
            r.errors.add("QDRANT_CA_CERT is set but QDRANT_URL is not https://: the certificate would not be used");
        }
        Lifecycle lifecycle = new Lifecycle(
                r.value("MAX_CONCURRENT_REQUESTS", String.valueOf(Lifecycle.DEFAULT.maxConcurrentRequests()),
                        v -> intIn(v, 0, 1_000_000)),
                r.value("HTTP_READ_TIMEOUT_MS", String.valueOf(Lifecycle.DEFAULT.readTimeoutMillis()),
                        v -> (long) intIn(v, 100, 600_000)),
                r.value("SHUTDOWN_DRAIN_MS", String.valueOf(Lifecycle.DEFAULT.shutdownDrainMillis()),
                        v -> (long) intIn(v, 0, 600_000)),
                r.value("SHUTDOWN_GRACE_MS", String.valueOf(Lifecycle.DEFAULT.shutdownGraceMillis()),
                        v -> (long) intIn(v, 0, 600_000)));
        if (!r.errors.isEmpty()) {
            throw new SettingsException(r.errors);
        }
        return new Settings(url, qdrantKey, memories, documents, dimension, host, port, keys, authDisabled, mode,
                scheme, timeout, healthTimeout, requestBudget, searchMax, scrollMax, batchMax, maxBody, layout,
                serverTls, caCert, lifecycle);
    }

    /** Never the keys: a record's default toString would print them. */
    @Override
    public String toString() {
        return "Settings[" + redacted() + "]";
    }

    public boolean qdrantTls() {
        return "https".equals(qdrantUrl.getScheme());
    }

    /** The effective configuration for the startup log line: secrets are reported as set or not, never shown. */
    public String redacted() {
        return "qdrant_url=" + qdrantUrl
                + " qdrant_api_key=" + (qdrantApiKey.isPresent() ? "<set>" : "<unset>")
                + " memories_collection=" + memoriesCollection
                + " documents_collection=" + documentsCollection
                + " vector_dimension=" + vectorDimension
                + " host=" + host + " port=" + port
                + " auth=" + (authDisabled ? "DISABLED" : serviceApiKeys.size() + " key(s)")
                + " mode=" + mode.name().toLowerCase()
                + " point_id_scheme=" + pointIdScheme.name().toLowerCase()
                + " qdrant_timeout_ms=" + qdrantTimeoutMillis
                + " health_timeout_ms=" + healthTimeoutMillis
                + " qdrant_request_budget_ms=" + qdrantRequestBudgetMillis
                + " search_max_limit=" + searchMaxLimit
                + " scroll_max_limit=" + scrollMaxLimit
                + " batch_max_points=" + batchMaxPoints
                + " max_body_bytes=" + maxBodyBytes
                + " shard_number=" + clusterLayout.shardNumber().map(String::valueOf).orElse("default")
                + " replication_factor=" + clusterLayout.replicationFactor().map(String::valueOf).orElse("default")
                + " write_consistency_factor="
                + clusterLayout.writeConsistencyFactor().map(String::valueOf).orElse("default")
                + " tls=" + serverTls.map(t -> "cert " + t.certificate()).orElse("off")
                + " qdrant_ca_cert=" + qdrantCaCert.map(Path::toString).orElse("<system trust>")
                + " max_concurrent_requests=" + (lifecycle.maxConcurrentRequests() == 0 ? "unlimited"
                        : String.valueOf(lifecycle.maxConcurrentRequests()))
                + " http_read_timeout_ms=" + lifecycle.readTimeoutMillis()
                + " shutdown_drain_ms=" + lifecycle.shutdownDrainMillis()
                + " shutdown_grace_ms=" + lifecycle.shutdownGraceMillis();
    }

    public Settings withPort(int newPort) {
        return new Settings(qdrantUrl, qdrantApiKey, memoriesCollection, documentsCollection, vectorDimension, host,
                newPort, serviceApiKeys, authDisabled, mode, pointIdScheme, qdrantTimeoutMillis, healthTimeoutMillis,
                qdrantRequestBudgetMillis, searchMaxLimit, scrollMaxLimit, batchMaxPoints, maxBodyBytes, clusterLayout,
                serverTls, qdrantCaCert, lifecycle);
    }

    public Settings withQdrantUrl(URI url) {
        return new Settings(url, qdrantApiKey, memoriesCollection, documentsCollection, vectorDimension, host,
                port, serviceApiKeys, authDisabled, mode, pointIdScheme, qdrantTimeoutMillis, healthTimeoutMillis,
                qdrantRequestBudgetMillis, searchMaxLimit, scrollMaxLimit, batchMaxPoints, maxBodyBytes, clusterLayout,
                serverTls, qdrantCaCert, lifecycle);
    }

    private static boolean isBlank(String v) {
        return v == null || v.isBlank();
    }

    private static Path readableFile(String v) {
        Path p;
        try {
            p = Path.of(v.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a file path");
        }
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new IllegalArgumentException("not a readable file");
        }
        return p;
    }

    private static URI qdrantUri(String v) {
        URI uri;
        try {
            uri = URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected http://host:port or https://host:port (gRPC endpoint)");
        }
        return uri;
    }

    private static String collectionName(String v) {
        if (v.isEmpty() || v.length() > 200 || !v.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("expected 1-200 characters of A-Z a-z 0-9 _ -");
        }
        return v;
    }

    private static int intIn(String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return n;
    }

    private static boolean bool(String v) {
        return switch (v.strip().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private static String oneOf(String v, String... allowed) {
        String s = v.strip().toLowerCase();
        for (String a : allowed) {
            if (a.equals(s)) {
                return s.toUpperCase();
            }
        }
        throw new IllegalArgumentException("expected one of " + String.join(", ", allowed));
    }

    /** Collects one message per bad variable instead of stopping at the first. */
    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> errors = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        /** A setting without a default: absent or blank → empty. */
        <T> Optional<T> optional(String name, Function<String, T> parse) {
            String raw = env.get(name);
            if (raw == null || raw.isBlank()) {
                return Optional.empty();
            }
            try {
                return Optional.of(parse.apply(raw));
            } catch (IllegalArgumentException e) {
                errors.add(name + "=" + quote(raw) + ": " + e.getMessage());
                return Optional.empty();
            }
        }

        <T> T value(String name, String defaultValue, Function<String, T> parse) {
            String raw = env.get(name);
            String v = raw == null || raw.isBlank() ? defaultValue : raw;
            try {
                return parse.apply(v);
            } catch (IllegalArgumentException e) {
                // Values of non-secret variables may be echoed; they help the operator.
                errors.add(name + "=" + quote(v) + ": " + e.getMessage());
                return parse.apply(defaultValue);
            }
        }

        private static String quote(String v) {
            String s = v.length() > 64 ? v.substring(0, 64) + "…" : v;
            return "\"" + s + "\"";
        }
    }
}
