package io.vectormemory.http.server;

import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.observe.AccessLog;
import io.vectormemory.http.observe.ProcessMeters;
import io.vectormemory.http.observe.ShutdownLogManager;
import io.vectormemory.qdrant.settings.SettingsException;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What every function's {@code main} does: settings, logging, the one Qdrant client, the server, shutdown. */
public final class Startup {
    static {
        // Before the first logger exists: keep logging alive until the graceful shutdown is done.
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
        }
    }

    private static final Logger LOG = Logger.getLogger(Startup.class.getName());

    private Startup() {
    }

    /** Reads the settings or ends the process with one line per bad value (exit code 2). */
    public static Settings settingsOrExit() {
        ProcessMeters.createInBackground();
        LogConfig.configureRuntime();
        try {
            return Settings.fromEnvironment();
        } catch (SettingsException e) {
            throw refuse(e);
        }
    }

    /** Starts a function's server on its settings and stops it gracefully on SIGTERM. */
    public static WebServer start(String name, Settings settings, Set<ApiFunction> functions,
                                  FunctionRouting routing) {
        return start(name, settings, functions, routing, List.of());
    }

    /**
     * Starts a function's server on its settings. On SIGTERM: readiness turns 503 and responses close their
     * connections for {@code SHUTDOWN_DRAIN_MS}; then the listener closes and requests in flight get up to
     * {@code SHUTDOWN_GRACE_MS} to finish; then the Qdrant channel closes, then {@code closeAfterStop} in order.
     * Everything in one hook, because the JVM runs separate shutdown hooks at the same time.
     *
     * @param closeAfterStop what must outlive every request, e.g. the local launcher's in-process backend
     */
    public static WebServer start(String name, Settings settings, Set<ApiFunction> functions,
                                  FunctionRouting routing, List<? extends AutoCloseable> closeAfterStop) {
        LOG.info("Starting " + name + ": " + settings.redacted());
        if (settings.server().authDisabled()) {
            LOG.warning("API key authentication is DISABLED (AUTH_DISABLED=true): every route is open");
        }
        WebServer web;
        ApiServer server;
        try {
            server = ApiServer.create(name, settings, functions, routing);
            web = server.config().build().start();
        } catch (SettingsException e) {
            throw refuse(e);
        }
        server.context().stores().bootstrapInBackground();
        ApiServer started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started, web, closeAfterStop), "shutdown"));
        // Where a cold start's time went, in the one line every start writes (README, "Cold start").
        ApiServer.Preparation prepared = server.preparation();
        LOG.info(name + " listening on " + (settings.server().tls().isPresent() ? "https://" : "http://")
                + settings.server().host() + ":" + web.port() + ", " + ManagementFactory.getRuntimeMXBean().getUptime()
                + " ms after the JVM started (Qdrant client " + prepared.qdrantClient().toMillis()
                + " ms, then waited " + prepared.meterRegistryWait().toMillis() + " ms for the meter registry)");
        return web;
    }

    private static void stop(ApiServer server, WebServer web, List<? extends AutoCloseable> closeAfterStop) {
        long start = System.nanoTime();
        ServerSettings.Lifecycle lifecycle = server.context().settings().server().lifecycle();
        server.state().startDraining();
        try {
            Thread.sleep(lifecycle.shutdownDrainMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Closes the listener and idle connections, then waits up to the grace period for requests in flight.
        web.stop();
        AccessLog.flush(); // the last requests' lines, before the final line below
        server.close();
        for (AutoCloseable c : closeAfterStop) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Failed to close " + c + " on shutdown", e);
            }
        }
        String stopped = server.context().name() + " stopped " + (System.nanoTime() - start) / 1_000_000
                + " ms after SIGTERM";
        if (java.util.logging.LogManager.getLogManager() instanceof ShutdownLogManager) {
            LOG.info(stopped);
            ShutdownLogManager.flush();
        } else {
            // Another log manager was chosen and the JDK may have reset it by now: say it on stderr.
            System.err.println("{\"level\":\"INFO\",\"logger\":\"" + Startup.class.getName() + "\",\"message\":\""
                    + stopped + "\"}");
        }
    }

    private static SettingsException refuse(SettingsException e) {
        System.err.println(e.getMessage());
        System.exit(2);
        return e;
    }
}
