package io.vectormemory.shared;

import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.vectormemory.shared.config.Settings;
import io.vectormemory.shared.config.SettingsException;
import io.vectormemory.shared.http.ApiFunction;
import io.vectormemory.shared.qdrant.QdrantConnection;

import java.util.Set;
import java.util.logging.Logger;

/** What every function's {@code main} does: settings, logging, the one Qdrant client, the server, shutdown. */
public final class Startup {
    private static final Logger LOG = Logger.getLogger(Startup.class.getName());

    private Startup() {
    }

    /** Reads the settings or ends the process with one line per bad value (exit code 2). */
    public static Settings settingsOrExit() {
        LogConfig.configureRuntime();
        try {
            return Settings.fromEnvironment();
        } catch (SettingsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    /** Starts a function's server on its settings and stops it (then the Qdrant channel) on SIGTERM. */
    public static WebServer start(String name, Settings settings, Set<ApiFunction> functions) {
        LOG.info("Starting " + name + ": " + settings.redacted());
        if (settings.authDisabled()) {
            LOG.warning("API key authentication is DISABLED (AUTH_DISABLED=true): every route is open");
        }
        QdrantConnection qdrant = QdrantConnection.open(settings);
        Api api = Api.create(name, settings, qdrant);
        WebServer server = ApiServer.config(api, functions).build().start();
        api.bootstrapInBackground();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            qdrant.close();
        }, "shutdown"));
        LOG.info(name + " listening on " + settings.host() + ":" + server.port());
        return server;
    }
}
