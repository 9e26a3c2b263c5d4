package io.vectormemory.tests;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.vectormemory.http.Route;
import io.vectormemory.http.server.ApiServer;
import io.vectormemory.tests.contract.ObserveContract;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Response;
import org.junit.jupiter.api.AfterAll;

import java.net.URI;
import java.util.Map;

/**
 * The health function's own {@code Main.routing} on a server that Helidon's test support starts ({@code @ServerTest}),
 * against the embedded backend: its observe endpoints and meters. (Its HTTP contract is {@link HealthFunctionTest}.)
 */
@ServerTest
class HealthServerTest implements ObserveContract {
    private static final Map<String, String> ENV = Deployment.contractEnv(Backend.url());
    private static ApiServer api;
    private final Http http;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        api = Deployment.configure(server, "health", ENV, new Deployment.Mount(io.vectormemory.health.Main.FUNCTIONS,
                io.vectormemory.health.Main::routing));
        api.context().stores().catalog().bootstrap();
    }

    HealthServerTest(WebServer server) {
        this.http = Http.to(URI.create("http://127.0.0.1:" + server.port()));
    }

    @AfterAll
    static void close() {
        api.close();
    }

    @Override
    public Http server() {
        return http;
    }

    @Override
    public String function() {
        return "health";
    }

    @Override
    public Route sampleRoute() {
        return Route.HEALTH;
    }

    @Override
    public Response sampleRequest() {
        return http.get("/health");
    }
}
