package io.vectormemory.http;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** Handles one matched route; path parameters come decoded. */
@FunctionalInterface
public interface RouteHandler {
    void handle(ServerRequest req, ServerResponse res, PathParams params);
}
