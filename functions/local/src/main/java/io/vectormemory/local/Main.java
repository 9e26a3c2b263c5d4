package io.vectormemory.local;

import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.vectormemory.embedded.EmbeddedQdrant;
import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.server.FunctionContext;
import io.vectormemory.http.server.Settings;
import io.vectormemory.http.server.Startup;
import io.vectormemory.qdrant.settings.SettingsException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The whole API on one port (8090) with the embedded Qdrant-protocol backend in-process: for a laptop or a
 * CI box with no Docker and no Qdrant. Data lives under {@code LOCAL_DATA_DIR} (default {@code ./data}).
 */
public final class Main {
    public static final Set<ApiFunction> FUNCTIONS = EnumSet.allOf(ApiFunction.class);
    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime();
        Map<String, String> env = System.getenv();
        Path dataDir = Path.of(env.getOrDefault("LOCAL_DATA_DIR", "data")).toAbsolutePath().normalize();
        int backendPort = Integer.parseInt(env.getOrDefault("LOCAL_QDRANT_PORT", "0"));
        Settings settings;
        try {
            settings = settings(env, backendPort);
        } catch (SettingsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(dataDir);
        // In-process backend on loopback only: the API in front of it is the only way in.
        EmbeddedQdrant backend = EmbeddedQdrant.start(new EmbeddedQdrant.Options(
                "127.0.0.1", backendPort, dataDir.resolve("qdrant"), settings.qdrant().apiKey().orElse(null)));
        LOG.info("Embedded Qdrant-protocol backend on 127.0.0.1:" + backend.port() + ", data in " + dataDir);
        // The backend closes after the API has finished its last request (one ordered shutdown).
        WebServer server = Startup.start("local", settings.withQdrantUrl(
                java.net.URI.create("http://127.0.0.1:" + backend.port())), FUNCTIONS, Main::routing, List.of(backend));
        LOG.info("Vector-memory API on http://" + settings.server().host() + ":" + server.port() + " (data folder: "
                + dataDir + ")");
    }

    /** The three functions' routes on one server, each mounted by its own routing. */
    public static void routing(ApiRoutes routes, FunctionContext context) {
        io.vectormemory.upsert.Main.routing(routes, context);
        io.vectormemory.search.Main.routing(routes, context);
        io.vectormemory.health.Main.routing(routes, context);
    }

    /**
     * The environment's settings with local defaults: loopback only, development mode, and no API key
     * required unless one is set — allowed only on loopback, and said loudly.
     */
    static Settings settings(Map<String, String> env, int backendPort) {
        Map<String, String> local = new HashMap<>(env);
        local.putIfAbsent("HOST", "127.0.0.1");
        local.putIfAbsent("SERVICE_MODE", "development");
        boolean noKey = local.getOrDefault("SERVICE_API_KEY", "").isBlank();
        if (noKey && !local.containsKey("AUTH_DISABLED")) {
            if (!isLoopback(local.get("HOST"))) {
                throw new SettingsException(List.of("SERVICE_API_KEY is required when HOST="
                        + local.get("HOST") + " is not a loopback address"));
            }
            local.put("AUTH_DISABLED", "true");
            Logger.getLogger(Main.class.getName()).warning(
                    "NO API KEY: the local API is open to anyone on this machine (bound to loopback only). "
                            + "Set SERVICE_API_KEY to require one.");
        }
        local.putIfAbsent("QDRANT_URL", "http://127.0.0.1:" + (backendPort == 0 ? 6334 : backendPort));
        Settings settings = Settings.from(local);
        if (settings.server().authDisabled() && !isLoopback(settings.server().host())) {
            throw new SettingsException(List.of("AUTH_DISABLED is only allowed when HOST is a loopback "
                    + "address; set SERVICE_API_KEY to listen on " + settings.server().host()));
        }
        return settings;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
