package io.vectormemory.tests;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;

/**
 * The search function's own {@code Main.routing} on a server that Helidon's test support starts ({@code @ServerTest}),
 * against the embedded backend: its observe endpoints and meters. (Its HTTP contract is {@link SearchFunctionTest}.)
 */
@ServerTest
class SearchServerTest extends FunctionServerTest {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        mount(server, "search", new Deployment.Mount(io.vectormemory.search.Main.FUNCTIONS,
                io.vectormemory.search.Main::routing));
    }

    SearchServerTest(WebServer server) {
        super(server);
    }

    @Override
    public String function() {
        return "search";
    }

    @Override
    public Route sampleRoute() {
        return Route.MEMORY_SEARCH;
    }

    @Override
    public Response sampleRequest() {
        return server().apiKey(Deployment.KEY).post("/memories/search", "{\"query_vector\":"
                + Vectors.json(Vectors.random(Deployment.DIMENSION, 1)) + ",\"user_id\":" + Data.user() + "}");
    }
}
