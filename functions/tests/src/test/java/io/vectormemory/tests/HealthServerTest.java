package io.vectormemory.tests;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Response;

/**
 * The health function's own {@code Main.routing} on a server that Helidon's test support starts ({@code @ServerTest}),
 * against the embedded backend: its observe endpoints and meters. (Its HTTP contract is {@link HealthFunctionTest}.)
 */
@ServerTest
class HealthServerTest extends FunctionServerTest {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        mount(server, "health", new Deployment.Mount(io.vectormemory.health.Main.FUNCTIONS,
                io.vectormemory.health.Main::routing));
    }

    HealthServerTest(WebServer server) {
        super(server);
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
        return server().get("/health");
    }
}
