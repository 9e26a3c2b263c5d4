package io.vectormemory.embedded.grpc;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;
import io.vectormemory.embedded.engine.Engine;

/** {@code qdrant.Qdrant/HealthCheck}, answering like Qdrant's {@code VersionInfo::default()}. */
public final class QdrantService extends QdrantGrpc.QdrantImplBase {

    public static final String TITLE = "qdrant - vector search engine";

    @Override
    public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
        observer.onNext(HealthCheckReply.newBuilder().setTitle(TITLE).setVersion(Engine.QDRANT_VERSION).build());
        observer.onCompleted();
    }
}
