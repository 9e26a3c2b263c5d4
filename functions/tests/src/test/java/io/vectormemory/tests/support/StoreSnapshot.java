package io.vectormemory.tests.support;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.WithVectorsSelectorFactory;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What a Qdrant(-protocol) backend holds, read directly over gRPC (not through the API under test): per
 * collection, the number of points and a digest of every point (id, payload, vector), in id order.
 *
 * @param collections collection name → {@code points=N sha256=…}
 */
public record StoreSnapshot(Map<String, String> collections) {

    /** Snapshot of the collections whose names pass the filter. */
    public static StoreSnapshot of(URI backend, String apiKey, Predicate<String> names) {
        try (Reader r = new Reader(backend, apiKey)) {
            Map<String, String> out = new TreeMap<>();
            for (String c : r.client.listCollectionsAsync(Duration.ofSeconds(10)).get()) {
                if (names.test(c)) {
                    out.put(c, r.describe(c));
                }
            }
            return new StoreSnapshot(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the backend", e.getCause());
        }
    }

    /** Every {@code _point_id} stored in one collection. */
    public static List<String> pointIds(URI backend, String apiKey, String collection) {
        try (Reader r = new Reader(backend, apiKey)) {
            List<String> ids = new ArrayList<>();
            for (RetrievedPoint p : r.all(collection)) {
                ids.add(p.getPayloadMap().get("_point_id").getStringValue());
            }
            return ids;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the backend", e.getCause());
        }
    }

    /** Every point of one collection, by {@code _point_id}. */
    public static Map<String, RetrievedPoint> points(URI backend, String apiKey, String collection) {
        try (Reader r = new Reader(backend, apiKey)) {
            Map<String, RetrievedPoint> out = new TreeMap<>();
            for (RetrievedPoint p : r.all(collection)) {
                out.put(p.getPayloadMap().get("_point_id").getStringValue(), p);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the backend", e.getCause());
        }
    }

    public long totalPoints() {
        return collections.values().stream()
                .mapToLong(v -> Long.parseLong(v.substring("points=".length(), v.indexOf(' ')))).sum();
    }

    private static final class Reader implements AutoCloseable {
        private final ManagedChannel channel;
        private final QdrantClient client;

        Reader(URI backend, String apiKey) {
            channel = NettyChannelBuilder.forAddress(backend.getHost(), backend.getPort()).usePlaintext()
                    .maxInboundMessageSize(256 << 20).build();
            QdrantGrpcClient.Builder b = QdrantGrpcClient.newBuilder(channel, true, false)
                    .withTimeout(Duration.ofSeconds(30));
            if (apiKey != null) {
                b.withApiKey(apiKey);
            }
            client = new QdrantClient(b.build());
        }

        List<RetrievedPoint> all(String collection) throws ExecutionException, InterruptedException {
            List<RetrievedPoint> all = new ArrayList<>();
            ScrollPoints.Builder request = ScrollPoints.newBuilder().setCollectionName(collection).setLimit(1000)
                    .setWithPayload(WithPayloadSelectorFactory.enable(true))
                    .setWithVectors(WithVectorsSelectorFactory.enable(true));
            while (true) {
                ScrollResponse page = client.scrollAsync(request.build()).get();
                all.addAll(page.getResultList());
                if (!page.hasNextPageOffset()) {
                    return all;
                }
                request.setOffset(page.getNextPageOffset());
            }
        }

        String describe(String collection) throws ExecutionException, InterruptedException {
            List<RetrievedPoint> all = all(collection);
            TreeMap<String, String> byId = new TreeMap<>();
            for (RetrievedPoint p : all) {
                byId.put(p.getId().toString(), new TreeMap<>(p.getPayloadMap()).toString() + p.getVectors());
            }
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byId.forEach((id, content) -> {
                    sha.update(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    sha.update(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                });
                return "points=" + all.size() + " sha256=" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            client.close();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
