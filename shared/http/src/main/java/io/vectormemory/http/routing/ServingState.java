package io.vectormemory.http.routing;

/**
 * Whether the server is still taking work or draining before it stops (SIGTERM). While draining, readiness
 * answers 503 and every response closes its connection, so load balancers and keep-alive clients move away
 * before the listener closes.
 */
public final class ServingState {
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
