package io.vectormemory.tests;

import io.vectormemory.shared.http.ApiFunction;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Deployment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The two shapes the API is deployed in: three functions behind one URL, or the local all-in-one server. */
final class Deployments {
    private Deployments() {
    }

    /** The upsert, search and health functions, each its own server, as the functions' mains mount them. */
    static Deployment functions(Map<String, String> env) {
        Map<String, Set<ApiFunction>> servers = new LinkedHashMap<>();
        servers.put("upsert", io.vectormemory.upsert.Main.FUNCTIONS);
        servers.put("search", io.vectormemory.search.Main.FUNCTIONS);
        servers.put("health", io.vectormemory.health.Main.FUNCTIONS);
        return Deployment.start(env, servers);
    }

    static Deployment functions() {
        return functions(Deployment.contractEnv(Backend.url())).bootstrap();
    }

    /** One server with every route, as the local launcher mounts them. */
    static Deployment local(Map<String, String> env) {
        return Deployment.start(env, Map.of("local", io.vectormemory.local.Main.FUNCTIONS));
    }

    static Deployment local() {
        return local(Deployment.contractEnv(Backend.url())).bootstrap();
    }
}
