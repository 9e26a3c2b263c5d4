package io.vectormemory.embedded.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Requires the configured API key on every call, like Qdrant's gRPC auth layer
 * (src/tonic/auth.rs, src/common/auth/mod.rs): the key comes from the {@code api-key} metadata
 * or an {@code authorization: Bearer <key>} header; missing or wrong keys get UNAUTHENTICATED
 * with Qdrant's messages.
 *
 * <p>The health checks ({@code qdrant.Qdrant/HealthCheck}, {@code grpc.health.v1.Health/Check})
 * are exempt, as in Qdrant since v1.15.1 (qdrant PR #6931, src/tonic/auth.rs at v1.16.0, the
 * version this project tests against); Qdrant up to v1.15.0 required the key for them too.
 */
public final class ApiKeyInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final byte[] expected;

    public ApiKeyInterceptor(String apiKey) {
        this.expected = apiKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Full method names that need no key. */
    static final java.util.Set<String> UNAUTHENTICATED_METHODS = java.util.Set.of(
            "qdrant.Qdrant/HealthCheck", "grpc.health.v1.Health/Check");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (UNAUTHENTICATED_METHODS.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        String key = headers.get(API_KEY);
        if (key == null) {
            String authorization = headers.get(AUTHORIZATION);
            if (authorization != null && authorization.startsWith("Bearer ")) {
                key = authorization.substring("Bearer ".length());
            }
        }
        if (key == null) {
            return reject(call, "Must provide an API key or an Authorization bearer token");
        }
        if (!MessageDigest.isEqual(expected, key.getBytes(StandardCharsets.UTF_8))) {
            return reject(call, "Invalid API key or JWT");
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, String message) {
        call.close(Status.UNAUTHENTICATED.withDescription(message), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
