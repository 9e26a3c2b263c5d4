package io.vectormemory.tests;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.vectormemory.http.server.ApiServer;
import io.vectormemory.tests.contract.ObserveContract;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;
import org.junit.jupiter.api.AfterAll;

import java.net.URI;

/**
 * What the {@code @ServerTest} suites of the three functions share: one function's own {@code Main.routing} on the
 * server Helidon's test support starts, against the embedded backend, checked by {@link ObserveContract}. The
 * classes run one after another, each setting {@link #api} in its {@code @SetUpServer} method.
 */
abstract class FunctionServerTest implements ObserveContract {
    private static ApiServer api;
    private final Http http;

    FunctionServerTest(WebServer server) {
        this.http = Http.to(URI.create("http://127.0.0.1:" + server.port()));
    }

    /** Configures Helidon's server builder as the function's {@code main} would, with its collections ready. */
    static void mount(WebServerConfig.Builder server, String name, Deployment.Mount mount) {
        api = Deployment.configure(server, name, Deployment.contractEnv(Backend.url()), mount);
        api.context().stores().catalog().bootstrap();
    }

    @AfterAll
    static void close() {
        api.close();
    }

    @Override
    public Http server() {
        return http;
    }
}
