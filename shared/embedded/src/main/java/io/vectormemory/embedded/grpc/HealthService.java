package io.vectormemory.embedded.grpc;

import grpc.health.v1.HealthCheck.HealthCheckRequest;
import grpc.health.v1.HealthCheck.HealthCheckResponse;
import grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;

/** The standard {@code grpc.health.v1.Health/Check}, which Qdrant also serves: always SERVING. */
public final class HealthService extends HealthGrpc.HealthImplBase {

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> observer) {
        observer.onNext(HealthCheckResponse.newBuilder()
                .setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
        observer.onCompleted();
    }
}
