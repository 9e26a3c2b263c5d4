package io.vectormemory.qdrant.connection;

import io.grpc.CallCredentials;
import io.grpc.Metadata;

import java.util.concurrent.Executor;

/**
 * Qdrant's {@code api-key} metadata on every call, added on the calling thread. The client's own credentials
 * ({@code withApiKey}) hand each call to a pool thread just to add this constant header: a thread wake-up and
 * switch per request, which showed in the search function's profile under load.
 */
public final class ApiKeyCredentials extends CallCredentials {
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final Metadata headers = new Metadata();

    public ApiKeyCredentials(String apiKey) {
        headers.put(API_KEY, apiKey);
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        applier.apply(headers); // gRPC merges a copy into the call's headers: one instance serves every call
    }

    @Override
    public String toString() {
        return "ApiKeyCredentials[api-key]"; // never the key
    }
}
