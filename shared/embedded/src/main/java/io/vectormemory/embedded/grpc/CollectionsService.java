package io.vectormemory.embedded.grpc;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.vectormemory.embedded.engine.Engine;

/** {@code qdrant.Collections}; methods not overridden answer UNIMPLEMENTED. */
public final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {

    private final Engine engine;

    public CollectionsService(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void get(Collections.GetCollectionInfoRequest request,
                    StreamObserver<Collections.GetCollectionInfoResponse> observer) {
        Calls.unary(observer, () -> engine.collectionInfo(request));
    }

    @Override
    public void list(Collections.ListCollectionsRequest request,
                     StreamObserver<Collections.ListCollectionsResponse> observer) {
        Calls.unary(observer, engine::listCollections);
    }

    @Override
    public void create(Collections.CreateCollection request,
                       StreamObserver<Collections.CollectionOperationResponse> observer) {
        Calls.unary(observer, () -> engine.createCollection(request));
    }

    @Override
    public void delete(Collections.DeleteCollection request,
                       StreamObserver<Collections.CollectionOperationResponse> observer) {
        Calls.unary(observer, () -> engine.deleteCollection(request));
    }

    @Override
    public void collectionExists(Collections.CollectionExistsRequest request,
                                 StreamObserver<Collections.CollectionExistsResponse> observer) {
        Calls.unary(observer, () -> engine.collectionExists(request));
    }
}
