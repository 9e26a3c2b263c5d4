package io.vectormemory.tests.support;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.http.server.ApiServer;
import io.vectormemory.http.server.FunctionRouting;
import io.vectormemory.http.server.Settings;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real Helidon servers on ephemeral ports, each with its own {@link ApiServer} (own settings, own Qdrant channel),
 * all on one backend and one set of collection names: like the separately deployed functions behind one
 * public URL. Each server mounts the routing of the functions' own {@code Main}s. A request for a route goes to
 * the server that serves its function.
 */
public final class Deployment implements AutoCloseable {
    /** Two keys at once (rotation); both are long enough for production mode. */
    public static final String KEY = "contract-test-key-0123456789abcdef0123";
    public static final String ROTATED_KEY = "contract-test-rotated-key-fedcba987654";
    public static final int DIMENSION = 8;
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Map<String, String> env;
    private final List<Server> servers = new ArrayList<>();
    private final Map<ApiFunction, Server> byFunction = new EnumMap<>(ApiFunction.class);

    /** What one server mounts: the functions it serves and the routing that binds their handlers. */
    public record Mount(Set<ApiFunction> functions, FunctionRouting routing) {
        /** The given functions, each bound by its own {@code Main.routing}. */
        public static Mount of(Set<ApiFunction> functions) {
            return new Mount(functions, (routes, context) -> {
                if (functions.contains(ApiFunction.UPSERT)) {
                    io.vectormemory.upsert.Main.routing(routes, context);
                }
                if (functions.contains(ApiFunction.SEARCH)) {
                    io.vectormemory.search.Main.routing(routes, context);
                }
                if (functions.contains(ApiFunction.HEALTH)) {
                    io.vectormemory.health.Main.routing(routes, context);
                }
            });
        }
    }

    /** One server with everything mounted. */
    private record Server(String name, Set<ApiFunction> functions, ApiServer api, WebServer web) {
        URI url() {
            return URI.create("http://127.0.0.1:" + web.port());
        }
    }

    private Deployment(Map<String, String> env) {
        this.env = env;
    }

    /** The settings every contract deployment starts from: dimension 8, 1 MiB bodies, two API keys. */
    public static Map<String, String> contractEnv(URI backend) {
        int n = SEQUENCE.incrementAndGet();
        String token = Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "_" + n;
        Map<String, String> env = new HashMap<>();
        env.put("QDRANT_URL", backend.toString());
        env.put("QDRANT_API_KEY", Backend.QDRANT_API_KEY);
        env.put("QDRANT_COLLECTION_NAME", "mem_" + token);
        env.put("QDRANT_DOCUMENTS_COLLECTION_NAME", "doc_" + token);
        env.put("QDRANT_VECTOR_DIMENSION", Integer.toString(DIMENSION));
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("SERVICE_API_KEY", KEY + "," + ROTATED_KEY);
        env.put("MAX_BODY_BYTES", Integer.toString(MAX_BODY_BYTES));
        return env;
    }

    /** Servers by name, each serving some functions with their {@code Main.routing}. */
    public static Deployment start(Map<String, String> env, Map<String, Set<ApiFunction>> servers) {
        Map<String, Mount> mounts = new java.util.LinkedHashMap<>();
        servers.forEach((name, functions) -> mounts.put(name, Mount.of(functions)));
        return mount(env, mounts);
    }

    /** Servers by name, each with what it mounts. */
    public static Deployment mount(Map<String, String> env, Map<String, Mount> servers) {
        Deployment d = new Deployment(Map.copyOf(env));
        try {
            servers.forEach(d::startServer);
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void startServer(String name, Mount mount) {
        ApiServer api = ApiServer.create(name, Settings.from(env), mount.functions(), mount.routing());
        WebServer web;
        try {
            web = api.config().port(0).build().start();
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        Server s = new Server(name, mount.functions(), api, web);
        servers.add(s);
        for (ApiFunction f : mount.functions()) {
            byFunction.putIfAbsent(f, s);
        }
    }

    /**
     * What a function's {@code @SetUpServer} method does (Helidon's {@code @ServerTest}): its {@link ApiServer} on
     * these settings, mounting its {@code Main.routing}, applied to the builder the test extension starts and stops.
     * Close the result after the tests.
     */
    public static ApiServer configure(WebServerConfig.Builder builder, String name, Map<String, String> env,
                                      Mount mount) {
        ApiServer api = ApiServer.create(name, Settings.from(env), mount.functions(), mount.routing());
        api.configure(builder);
        return api;
    }

    /** What the process does at startup, done synchronously here so tests see the collections ready. */
    public Deployment bootstrap() {
        servers.getFirst().api().context().stores().catalog().bootstrap();
        return this;
    }

    public Settings settings() {
        return servers.getFirst().api().context().settings();
    }

    /** The base URL of the server that serves a route. */
    public URI url(Route route) {
        return url(route.function());
    }

    public URI url(ApiFunction function) {
        Server s = byFunction.get(function);
        if (s == null) {
            throw new IllegalStateException("no server of this deployment serves " + function);
        }
        return s.url();
    }

    /** The base URL of a server by the name it was started under. */
    public URI server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no server " + name)).url();
    }

    @Override
    public void close() {
        for (Server s : servers) {
            try {
                s.web().stop();
            } finally {
                s.api().close();
            }
        }
        servers.clear();
    }
}
