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
 * The upsert function's own {@code Main.routing} on a server that Helidon's test support starts ({@code @ServerTest}),
 * against the embedded backend: its observe endpoints and meters. (Its HTTP contract is {@link UpsertFunctionTest}.)
 */
@ServerTest
class UpsertServerTest extends FunctionServerTest {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        mount(server, "upsert", new Deployment.Mount(io.vectormemory.upsert.Main.FUNCTIONS,
                io.vectormemory.upsert.Main::routing));
    }

    UpsertServerTest(WebServer server) {
        super(server);
    }

    @Override
    public String function() {
        return "upsert";
    }

    @Override
    public Route sampleRoute() {
        return Route.MEMORY_UPSERT;
    }

    @Override
    public Response sampleRequest() {
        long user = Data.user();
        return server().apiKey(Deployment.KEY).post("/memories", Data.memory(Data.memoryId(user),
                Vectors.random(Deployment.DIMENSION, 1), Data.memoryPayload(user)));
    }
}
