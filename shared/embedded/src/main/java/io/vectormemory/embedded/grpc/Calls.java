package io.vectormemory.embedded.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.vectormemory.embedded.engine.ApiError;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs a unary call and maps failures to gRPC statuses. */
final class Calls {

    private static final Logger LOG = Logger.getLogger(Calls.class.getName());

    private Calls() {
    }

    static <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (ApiError e) {
            observer.onError(e.toStatus().asRuntimeException());
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Request failed", e);
            observer.onError(Status.INTERNAL.withDescription("Service internal error: " + e).asRuntimeException());
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }
}
