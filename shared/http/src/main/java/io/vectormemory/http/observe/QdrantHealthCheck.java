package io.vectormemory.http.observe;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.vectormemory.http.json.QdrantValues;
import io.vectormemory.qdrant.store.QdrantHealth;

/**
 * Readiness to serve the API, as a Helidon health check: Qdrant answers, accepts our key and has the default
 * collections ({@link QdrantHealth}). Served at {@code /observe/health/ready/qdrant} by every function, and the one
 * thing {@code GET /health} is computed from. Not a Knative probe: a probe must not make a Qdrant round trip.
 * <p>
 * Details: {@value #STATUS} (/health's {@code qdrant.status} word), and for the default memories collection, when
 * Qdrant answered for it, {@value #COLLECTION_STATUS} and {@value #POINTS}.
 */
public final class QdrantHealthCheck implements HealthCheck {
    public static final String NAME = "qdrant";
    public static final String STATUS = "status";
    public static final String COLLECTION_STATUS = "collection_status";
    public static final String POINTS = "points_count";
    /** The one state in which waiting can help, hence the only one answered with Retry-After. */
    public static final String DISCONNECTED = "disconnected";

    private final QdrantHealth qdrant;

    public QdrantHealthCheck(QdrantHealth qdrant) {
        this.qdrant = qdrant;
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
        QdrantHealth.Report report = qdrant.check();
        HealthCheckResponse.Builder response = HealthCheckResponse.builder()
                .status(report.serving())
                .detail(STATUS, word(report.state()));
        report.memories().ifPresent(c -> response.detail(COLLECTION_STATUS, QdrantValues.collectionStatus(c))
                .detail(POINTS, c.getPointsCount()));
        return response.build();
    }

    /** The Rust service's "connected" / "disconnected", and a word for each other cause. */
    public static String word(QdrantHealth.State state) {
        return switch (state) {
            case SERVING -> "connected";
            case UNREACHABLE -> DISCONNECTED;
            case CREDENTIALS_REFUSED -> "unauthorized";
            case COLLECTIONS_MISSING -> "collections_missing";
            case FAILING -> "error";
        };
    }
}
