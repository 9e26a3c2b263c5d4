package io.vectormemory.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.Vector;
import io.qdrant.client.grpc.Points.Vectors;
import io.vectormemory.qdrant.connection.ApiKeyCredentials;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;

/**
 * The baseline: the same searches and writes as the HTTP load, sent straight to the backend with the real
 * {@code io.qdrant:client} on one channel configured like the functions' own (plaintext, the API key added on the
 * calling thread, answers completed on the network thread, deadline).
 * Each request is built from the in-memory vector per call, as a client application would.
 */
final class DirectBaseline implements AutoCloseable {
    private final ManagedChannel channel;
    private final QdrantClient client;
    private final Dataset data;

    DirectBaseline(String qdrantUrl, String apiKey, Dataset data) {
        URI url = URI.create(qdrantUrl);
        this.channel = NettyChannelBuilder.forAddress(url.getHost(), url.getPort() > 0 ? url.getPort() : 6334)
                .usePlaintext()
                .maxInboundMessageSize(64 << 20)
                .directExecutor()
                .build();
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(channel, true, false)
                .withTimeout(Duration.ofSeconds(30));
        if (apiKey != null && !apiKey.isEmpty()) {
            grpc.withCallCredentials(new ApiKeyCredentials(apiKey));
        }
        this.client = new QdrantClient(grpc.build());
        this.data = data;
    }

    /** Top-5 of one user among active memories, with payload: what {@code POST /memories/search} asks. */
    JsonObject search(int queries, int concurrency, double warmup, double seconds) throws Exception {
        float[][] vectors = new float[queries][];
        for (int q = 0; q < queries; q++) {
            vectors[q] = data.queryVector(q);
        }
        ClosedLoop.Call call = sequence -> {
            int q = (int) (sequence % queries);
            SearchPoints.Builder request = SearchPoints.newBuilder()
                    .setCollectionName(Dataset.COLLECTION)
                    .setFilter(Filter.newBuilder()
                            .addMust(match("user_id", data.queryUser(q)))
                            .addMust(match("active", true)))
                    .setLimit(Dataset.SEARCH_LIMIT)
                    .setScoreThreshold(Dataset.MIN_SCORE)
                    .setWithPayload(enable(true));
            for (float f : vectors[q]) {
                request.addVector(f);
            }
            List<ScoredPoint> hits = client.searchAsync(request.build()).get();
            if (hits.size() != Dataset.SEARCH_LIMIT) {
                throw new IllegalStateException("expected " + Dataset.SEARCH_LIMIT + " hits, got " + hits.size());
            }
        };
        return ClosedLoop.run(call, concurrency, warmup, seconds);
    }

    /** Batches of {@code batchSize} points of one user, {@code wait=true}: what {@code POST /memories/batch} does. */
    JsonObject upsert(int bodies, int batchSize, int concurrency, double warmup, double seconds) throws Exception {
        float[][][] vectors = new float[bodies][batchSize][];
        for (int b = 0; b < bodies; b++) {
            for (int i = 0; i < batchSize; i++) {
                vectors[b][i] = data.pointVector(Dataset.DIRECT_WRITE_USERS + b, i);
            }
        }
        ClosedLoop.Call call = sequence -> {
            int b = (int) (sequence % bodies);
            int user = Dataset.DIRECT_WRITE_USERS + b;
            List<PointStruct> points = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                points.add(point(user, i, vectors[b][i]));
            }
            client.upsertAsync(UpsertPoints.newBuilder()
                    .setCollectionName(Dataset.COLLECTION)
                    .setWait(true)
                    .addAllPoints(points)
                    .build()).get();
        };
        return ClosedLoop.run(call, concurrency, warmup, seconds);
    }

    private static PointStruct point(int user, int index, float[] vector) {
        String pointId = Dataset.pointId(user, index);
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float f : vector) {
            dense.addData(f);
        }
        return PointStruct.newBuilder()
                .setId(id(numericId(pointId)))
                .setVectors(Vectors.newBuilder().setVector(Vector.newBuilder().setDense(dense)))
                .putAllPayload(Map.of(
                        "user_id", value(user),
                        "category", value(Dataset.category(index)),
                        "key", value(Dataset.key(index)),
                        "value", value(Dataset.value(user, index)),
                        "source", value("auto_detected"),
                        "created", value(Dataset.CREATED + index),
                        "updated", value(Dataset.CREATED + index),
                        "active", value(true),
                        "_point_id", value(pointId)))
                .build();
    }

    /** A 64-bit id from the string id (FNV-1a, then mixed); any stable hash will do for the baseline. */
    private static long numericId(String pointId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : pointId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h & Long.MAX_VALUE;
    }

    static JsonObject tagged(JsonObject result, String kind, String path, int concurrency, int batchSize) {
        var out = Json.createObjectBuilder(result)
                .add("kind", kind)
                .add("path", path)
                .add("c", concurrency);
        if (batchSize > 0) {
            out.add("batch", batchSize);
        }
        return out.build();
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        channel.shutdown().awaitTermination(2, TimeUnit.SECONDS);
    }
}
