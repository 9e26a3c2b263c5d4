package io.vectormemory.tests;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.vectormemory.http.Route;
import io.vectormemory.http.server.ApiServer;
import io.vectormemory.tests.contract.ObserveContract;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;

import java.net.URI;
import java.util.Map;

/**
 * The upsert function's own {@code Main.routing} on a server that Helidon's test support starts ({@code @ServerTest}),
 * against the embedded backend: its observe endpoints and meters. (Its HTTP contract is {@link UpsertFunctionTest}.)
 */
@ServerTest
class UpsertServerTest implements ObserveContract {
    private static final Map<String, String> ENV = Deployment.contractEnv(Backend.url());
    private static ApiServer api;
    private final Http http;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        api = Deployment.configure(server, "upsert", ENV, new Deployment.Mount(io.vectormemory.upsert.Main.FUNCTIONS,
                io.vectormemory.upsert.Main::routing));
        api.context().stores().catalog().bootstrap();
    }

    UpsertServerTest(WebServer server) {
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
        return "upsert";
    }

    @Override
    public Route sampleRoute() {
        return Route.MEMORY_UPSERT;
    }

    @Override
    public Response sampleRequest() {
        long user = Data.user();
        return http.apiKey(Deployment.KEY).post("/memories", Data.memory(Data.memoryId(user),
                Vectors.random(Deployment.DIMENSION, 1), Data.memoryPayload(user)));
    }
}
