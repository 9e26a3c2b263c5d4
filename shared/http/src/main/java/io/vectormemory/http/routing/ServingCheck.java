package io.vectormemory.http.routing;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness of the process itself, as a Helidon health check: down while draining after SIGTERM, so the load
 * balancer stops sending new requests. Knative's readiness probe ({@code /readyz}) is computed from it; it makes
 * no Qdrant call.
 */
public final class ServingCheck implements HealthCheck {
    public static final String NAME = "serving";

    private final ServingState state;

    public ServingCheck(ServingState state) {
        this.state = state;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.builder().status(!state.draining()).build();
    }
}
