package io.vectormemory.http.server;

import io.vectormemory.qdrant.settings.EnvironmentReader;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.qdrant.settings.SettingsException;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.vectormemory.qdrant.settings.EnvironmentReader.intIn;
import static io.vectormemory.qdrant.settings.EnvironmentReader.oneOf;

/**
 * Effective configuration of one function process, read from the environment at startup: how to reach Qdrant,
 * how to serve HTTP, and how much one request may ask for. Every bad value is reported at once, with the
 * variable's name, so a pod fails fast with one clear message.
 */
public record Settings(QdrantSettings qdrant, ServerSettings server, RequestLimits limits) {

    public static final int MIN_PRODUCTION_KEY_LENGTH = 32;

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads settings from a variable map; throws {@link SettingsException} listing every bad value. */
    public static Settings from(Map<String, String> env) {
        EnvironmentReader r = new EnvironmentReader(env);
        QdrantSettings qdrant = QdrantSettings.read(r);
        String host = r.value("HOST", "0.0.0.0", v -> v);
        int port = r.value("PORT", "8090", v -> intIn(v, 0, 65_535));
        boolean authDisabled = r.value("AUTH_DISABLED", "false", EnvironmentReader::bool);
        ServerSettings.Mode mode = r.value("SERVICE_MODE", "production",
                v -> ServerSettings.Mode.valueOf(oneOf(v, "production", "development")));
        RequestLimits limits = new RequestLimits(
                r.value("SEARCH_MAX_LIMIT", "100", v -> intIn(v, 1, 10_000)),
                r.value("SCROLL_MAX_LIMIT", "10000", v -> intIn(v, 1, 100_000)),
                r.value("BATCH_MAX_POINTS", "1000", v -> intIn(v, 1, 100_000)),
                r.value("MAX_BODY_BYTES", String.valueOf(32L << 20), v -> (long) intIn(v, 1024, 1 << 30)),
                r.value("POINT_ID_MAX_BYTES", String.valueOf(RequestLimits.DEFAULT_POINT_ID_MAX_BYTES),
                        v -> intIn(v, 1, RequestLimits.MAX_POINT_ID_MAX_BYTES)));

        // Several keys at once allow rotation: comma-separated, blanks ignored.
        List<String> keys = Arrays.stream(env.getOrDefault("SERVICE_API_KEY", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (!authDisabled && keys.isEmpty()) {
            r.problem("SERVICE_API_KEY is not set: set it (several keys may be given, comma-separated) "
                    + "or set AUTH_DISABLED=true explicitly");
        }
        if (!authDisabled && mode == ServerSettings.Mode.PRODUCTION) {
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).length() < MIN_PRODUCTION_KEY_LENGTH) {
                    r.problem("SERVICE_API_KEY: key #" + (i + 1) + " is shorter than " + MIN_PRODUCTION_KEY_LENGTH
                            + " characters, refused in production mode (generate one with `openssl rand -hex 32`)");
                }
            }
        }
        Optional<Path> tlsCert = r.optional("TLS_CERT_PATH", EnvironmentReader::readableFile);
        Optional<Path> tlsKey = r.optional("TLS_KEY_PATH", EnvironmentReader::readableFile);
        if (isBlank(env.get("TLS_CERT_PATH")) != isBlank(env.get("TLS_KEY_PATH"))) {
            r.problem("TLS_CERT_PATH and TLS_KEY_PATH must be set together (PEM certificate chain and PEM key)");
        }
        Optional<ServerSettings.ServerTls> tls =
                tlsCert.flatMap(c -> tlsKey.map(k -> new ServerSettings.ServerTls(c, k)));
        ServerSettings.Lifecycle defaults = ServerSettings.Lifecycle.DEFAULT;
        ServerSettings.Lifecycle lifecycle = new ServerSettings.Lifecycle(
                r.value("MAX_CONCURRENT_REQUESTS", String.valueOf(defaults.maxConcurrentRequests()),
                        v -> intIn(v, 0, 1_000_000)),
                r.value("HTTP_READ_TIMEOUT_MS", String.valueOf(defaults.readTimeoutMillis()),
                        v -> (long) intIn(v, 100, 600_000)),
                r.value("HTTP_IDLE_TIMEOUT_MS", String.valueOf(defaults.idleTimeoutMillis()),
                        v -> (long) intIn(v, 1_000, 3_600_000)),
                r.value("SHUTDOWN_DRAIN_MS", String.valueOf(defaults.shutdownDrainMillis()),
                        v -> (long) intIn(v, 0, 600_000)),
                r.value("SHUTDOWN_GRACE_MS", String.valueOf(defaults.shutdownGraceMillis()),
                        v -> (long) intIn(v, 0, 600_000)));
        r.throwIfProblems();
        return new Settings(qdrant, new ServerSettings(host, port, keys, authDisabled, mode, tls, lifecycle), limits);
    }

    /** Never the keys: a record's default toString would print them. */
    @Override
    public String toString() {
        return "Settings[" + redacted() + "]";
    }

    /** The effective configuration for the startup log line: secrets are reported as set or not, never shown. */
    public String redacted() {
        ServerSettings.Lifecycle lifecycle = server.lifecycle();
        return qdrant.redacted()
                + " host=" + server.host() + " port=" + server.port()
                + " auth=" + (server.authDisabled() ? "DISABLED" : server.serviceApiKeys().size() + " key(s)")
                + " mode=" + server.mode().name().toLowerCase()
                + " search_max_limit=" + limits.searchMaxLimit()
                + " scroll_max_limit=" + limits.scrollMaxLimit()
                + " batch_max_points=" + limits.batchMaxPoints()
                + " max_body_bytes=" + limits.maxBodyBytes()
                + " point_id_max_bytes=" + limits.pointIdMaxBytes()
                + " tls=" + server.tls().map(t -> "cert " + t.certificate()).orElse("off")
                + " max_concurrent_requests=" + (lifecycle.maxConcurrentRequests() == 0 ? "unlimited"
                        : String.valueOf(lifecycle.maxConcurrentRequests()))
                + " http_read_timeout_ms=" + lifecycle.readTimeoutMillis()
                + " http_idle_timeout_ms=" + lifecycle.idleTimeoutMillis()
                + " shutdown_drain_ms=" + lifecycle.shutdownDrainMillis()
                + " shutdown_grace_ms=" + lifecycle.shutdownGraceMillis();
    }

    public Settings withPort(int port) {
        return new Settings(qdrant, server.withPort(port), limits);
    }

    public Settings withQdrantUrl(URI url) {
        return new Settings(qdrant.withUrl(url), server, limits);
    }

    private static boolean isBlank(String v) {
        return v == null || v.isBlank();
    }
}
