package io.vectormemory.embedded;

import grpc.health.v1.HealthCheck.HealthCheckRequest;
import grpc.health.v1.HealthCheck.HealthCheckResponse;
import grpc.health.v1.HealthGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.vectormemory.embedded.engine.Engine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyTest {

    private static EmbeddedQdrant server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory().withApiKey("s3cret"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void missingKeyIsUnauthenticated() throws Exception {
        try (QdrantClient anonymous = QdrantTestSupport.client(server.port(), null)) {
            QdrantTestSupport.assertStatus(QdrantTestSupport.failure(anonymous.listCollectionsAsync()),
                    Status.Code.UNAUTHENTICATED, "Must provide an API key or an Authorization bearer token");
            // health checks need no key (Qdrant since v1.15.1)
            assertEquals(Engine.QDRANT_VERSION, QdrantTestSupport.await(anonymous.healthCheckAsync()).getVersion());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, HealthGrpc.newBlockingStub(
                    anonymous.grpcClient().channel()).check(HealthCheckRequest.getDefaultInstance()).getStatus());
        }
    }

    @Test
    void wrongKeyIsUnauthenticated() throws Exception {
        try (QdrantClient wrong = QdrantTestSupport.client(server.port(), "s3cret!")) {
            QdrantTestSupport.assertStatus(QdrantTestSupport.failure(wrong.collectionExistsAsync("x")),
                    Status.Code.UNAUTHENTICATED, "Invalid API key or JWT");
            QdrantTestSupport.assertStatus(QdrantTestSupport.failure(wrong.countAsync("x")),
                    Status.Code.UNAUTHENTICATED, "Invalid API key or JWT");
        }
    }

    @Test
    void rightKeyIsAccepted() throws Exception {
        try (QdrantClient authorised = QdrantTestSupport.client(server.port(), "s3cret")) {
            assertEquals("qdrant - vector search engine",
                    QdrantTestSupport.await(authorised.healthCheckAsync()).getTitle());
            QdrantTestSupport.await(authorised.createCollectionAsync("secured",
                    VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine).build()));
            assertTrue(QdrantTestSupport.await(authorised.collectionExistsAsync("secured")));
            assertFalse(QdrantTestSupport.await(authorised.collectionExistsAsync("other")));
        }
    }

    @Test
    void bearerTokenIsAccepted() throws Exception {
        try (QdrantClient anonymous = QdrantTestSupport.client(server.port(), null)) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer s3cret");
            var stub = io.qdrant.client.grpc.CollectionsGrpc.newBlockingStub(anonymous.grpcClient().channel())
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            assertFalse(stub.collectionExists(io.qdrant.client.grpc.Collections.CollectionExistsRequest.newBuilder()
                    .setCollectionName("bearer").build()).getResult().getExists());
        }
    }

    @Test
    void optionsNeverPrintTheKey() {
        assertFalse(server.options().toString().contains("s3cret"));
    }
}
