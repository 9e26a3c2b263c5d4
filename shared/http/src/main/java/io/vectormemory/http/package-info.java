/**
 * What every function's web server runs on; it knows the route table, JSON and the Qdrant module's exceptions, never
 * a handler. This package is what handlers use: the route table ({@link io.vectormemory.http.Route}),
 * {@link io.vectormemory.http.ApiRoutes} to bind handlers, path parameters and
 * {@link io.vectormemory.http.ApiException}.
 * Below it: {@link io.vectormemory.http.json} (strict request JSON, writing), {@link io.vectormemory.http.observe}
 * (metrics and logs), {@link io.vectormemory.http.routing} (dispatch, auth, backpressure, error answers) and
 * {@link io.vectormemory.http.server} (settings, startup, shutdown).
 */
package io.vectormemory.http;
