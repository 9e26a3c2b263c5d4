package io.vectormemory.tests;

import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Deployment;

import java.util.LinkedHashMap;
import java.util.Map;

/** The two shapes the API is deployed in: three functions behind one URL, or the local all-in-one server. */
final class Deployments {
    private Deployments() {
    }

    /** The upsert, search and health functions, each its own server, as the functions' mains mount them. */
    static Deployment functions(Map<String, String> env) {
        Map<String, Deployment.Mount> servers = new LinkedHashMap<>();
        servers.put("upsert", new Deployment.Mount(io.vectormemory.upsert.Main.FUNCTIONS,
                io.vectormemory.upsert.Main::routing));
        servers.put("search", new Deployment.Mount(io.vectormemory.search.Main.FUNCTIONS,
                io.vectormemory.search.Main::routing));
        servers.put("health", new Deployment.Mount(io.vectormemory.health.Main.FUNCTIONS,
                io.vectormemory.health.Main::routing));
        return Deployment.mount(env, servers);
    }

    static Deployment functions() {
        return functions(Deployment.contractEnv(Backend.url())).bootstrap();
    }

    /** One server with every route, mounted by the local launcher's routing. */
    static Deployment local(Map<String, String> env) {
        return Deployment.mount(env, Map.of("local", new Deployment.Mount(io.vectormemory.local.Main.FUNCTIONS,
                io.vectormemory.local.Main::routing)));
    }

    static Deployment local() {
        return local(Deployment.contractEnv(Backend.url())).bootstrap();
    }
}
