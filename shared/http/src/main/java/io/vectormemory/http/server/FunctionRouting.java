package io.vectormemory.http.server;

import io.vectormemory.http.ApiRoutes;

/** Adds a function's handlers to a server's routes: the shape of every function's {@code Main.routing}. */
@FunctionalInterface
public interface FunctionRouting {
    void routing(ApiRoutes routes, FunctionContext context);
}
