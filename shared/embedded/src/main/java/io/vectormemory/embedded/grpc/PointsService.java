package io.vectormemory.embedded.grpc;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.PointsGrpc;
import io.vectormemory.embedded.engine.Engine;

/** {@code qdrant.Points}; methods not overridden answer UNIMPLEMENTED. */
public final class PointsService extends PointsGrpc.PointsImplBase {

    private final Engine engine;

    public PointsService(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void upsert(Points.UpsertPoints request, StreamObserver<Points.PointsOperationResponse> observer) {
        Calls.unary(observer, () -> engine.upsert(request));
    }

    @Override
    public void delete(Points.DeletePoints request, StreamObserver<Points.PointsOperationResponse> observer) {
        Calls.unary(observer, () -> engine.delete(request));
    }

    @Override
    public void get(Points.GetPoints request, StreamObserver<Points.GetResponse> observer) {
        Calls.unary(observer, () -> engine.get(request));
    }

    @Override
    public void setPayload(Points.SetPayloadPoints request, StreamObserver<Points.PointsOperationResponse> observer) {
        Calls.unary(observer, () -> engine.setPayload(request));
    }

    @Override
    public void overwritePayload(Points.SetPayloadPoints request,
                                 StreamObserver<Points.PointsOperationResponse> observer) {
        Calls.unary(observer, () -> engine.overwritePayload(request));
    }

    @Override
    public void deletePayload(Points.DeletePayloadPoints request,
                              StreamObserver<Points.PointsOperationResponse> observer) {
        Calls.unary(observer, () -> engine.deletePayload(request));
    }

    @Override
    public void clearPayload(Points.ClearPayloadPoints request,
                             StreamObserver<Points.PointsOperationResponse> observer) {
        Calls.unary(observer, () -> engine.clearPayload(request));
    }

    @Override
    public void createFieldIndex(Points.CreateFieldIndexCollection request,
                                 StreamObserver<Points.PointsOperationResponse> observer) {
        Calls.unary(observer, () -> engine.createFieldIndex(request));
    }

    @Override
    public void deleteFieldIndex(Points.DeleteFieldIndexCollection request,
                                 StreamObserver<Points.PointsOperationResponse> observer) {
        Calls.unary(observer, () -> engine.deleteFieldIndex(request));
    }

    @Override
    public void search(Points.SearchPoints request, StreamObserver<Points.SearchResponse> observer) {
        Calls.unary(observer, () -> engine.search(request));
    }

    @Override
    public void searchBatch(Points.SearchBatchPoints request, StreamObserver<Points.SearchBatchResponse> observer) {
        Calls.unary(observer, () -> engine.searchBatch(request));
    }

    @Override
    public void scroll(Points.ScrollPoints request, StreamObserver<Points.ScrollResponse> observer) {
        Calls.unary(observer, () -> engine.scroll(request));
    }

    @Override
    public void count(Points.CountPoints request, StreamObserver<Points.CountResponse> observer) {
        Calls.unary(observer, () -> engine.count(request));
    }

    @Override
    public void updateBatch(Points.UpdateBatchPoints request, StreamObserver<Points.UpdateBatchResponse> observer) {
        Calls.unary(observer, () -> engine.updateBatch(request));
    }

    @Override
    public void query(Points.QueryPoints request, StreamObserver<Points.QueryResponse> observer) {
        Calls.unary(observer, () -> engine.query(request));
    }

    @Override
    public void queryBatch(Points.QueryBatchPoints request, StreamObserver<Points.QueryBatchResponse> observer) {
        Calls.unary(observer, () -> engine.queryBatch(request));
    }
}
