package io.vectormemory.embedded;

import io.grpc.Status;
import io.qdrant.client.QdrantException;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.vectormemory.embedded.engine.Engine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static io.qdrant.client.ValueFactory.value;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CollectionsTest extends QdrantTestSupport {

    @Test
    void healthCheck() throws Exception {
        HealthCheckReply reply = await(client.healthCheckAsync());
        assertEquals("qdrant - vector search engine", reply.getTitle());
        assertEquals(Engine.QDRANT_VERSION, reply.getVersion());
    }

    /** The version reported is the one the project tests against: the tag of the root pom's qdrant.image. */
    @Test
    void reportedVersionIsThePinnedImage() {
        String image = System.getProperty("qdrant.image");
        assertEquals("qdrant/qdrant:v" + Engine.QDRANT_VERSION, image);
    }

    @Test
    void createListExistsGetDelete() throws Exception {
        await(client.createCollectionAsync("lifecycle",
                VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine).build()));

        assertThat(await(client.listCollectionsAsync()), hasItem("lifecycle"));
        assertTrue(await(client.collectionExistsAsync("lifecycle")));
        assertFalse(await(client.collectionExistsAsync("nope")));

        CollectionInfo info = await(client.getCollectionInfoAsync("lifecycle"));
        assertEquals(Collections.CollectionStatus.Green, info.getStatus());
        assertEquals(0, info.getPointsCount());
        assertEquals(1, info.getSegmentsCount());
        assertTrue(info.getOptimizerStatus().getOk());
        VectorParams params = info.getConfig().getParams().getVectorsConfig().getParams();
        assertEquals(4, params.getSize());
        assertEquals(Distance.Cosine, params.getDistance());
        assertEquals(1, info.getConfig().getParams().getShardNumber());
        assertEquals(16, info.getConfig().getHnswConfig().getM());
        assertEquals(100, info.getConfig().getHnswConfig().getEfConstruct());
        assertEquals(32, info.getConfig().getWalConfig().getWalCapacityMb());

        assertTrue(await(client.deleteCollectionAsync("lifecycle")).getResult());
        assertFalse(await(client.collectionExistsAsync("lifecycle")));
        assertThat(await(client.listCollectionsAsync()), not(hasItem("lifecycle")));
    }

    @Test
    void listIsSortedByName() throws Exception {
        for (String name : List.of("zeta-list", "alpha-list", "mid-list")) {
            await(client.createCollectionAsync(name, VectorParams.newBuilder().setSize(2)
                    .setDistance(Distance.Dot).build()));
        }
        List<String> names = await(client.listCollectionsAsync());
        assertThat(names, hasItems("alpha-list", "mid-list", "zeta-list"));
        assertTrue(names.indexOf("alpha-list") < names.indexOf("mid-list"));
        assertTrue(names.indexOf("mid-list") < names.indexOf("zeta-list"));
    }

    @Test
    void createExistingIsAlreadyExists() throws Exception {
        String name = newCollection(3, Distance.Dot);
        Status status = failure(client.createCollectionAsync(name,
                VectorParams.newBuilder().setSize(3).setDistance(Distance.Dot).build()));
        assertStatus(status, Status.Code.ALREADY_EXISTS, "Wrong input: Collection `" + name + "` already exists!");
    }

    @Test
    void unknownCollectionIsNotFound() throws Exception {
        assertStatus(failure(client.getCollectionInfoAsync("missing")), Status.Code.NOT_FOUND,
                "Not found: Collection `missing` doesn't exist!");
        // names that could never exist are a validation error, not NOT_FOUND (validate_collection_name_legacy)
        assertStatus(failure(client.getCollectionInfoAsync("a/b")), Status.Code.INVALID_ARGUMENT,
                "Validation error in body: [collection_name: collection name cannot contain \"/\" char]");
        // characters only forbidden for new collections are fine in other requests
        assertStatus(failure(client.getCollectionInfoAsync("a:b")), Status.Code.NOT_FOUND,
                "Not found: Collection `a:b` doesn't exist!");
        assertStatus(failure(client.countAsync("missing")), Status.Code.NOT_FOUND,
                "Not found: Collection `missing` doesn't exist!");
    }

    @Test
    void deletingUnknownCollectionReturnsFalse() {
        // Qdrant answers result=false; the Java client turns that into an exception
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> client.deleteCollectionAsync("never-created").get());
        assertTrue(e.getCause() instanceof QdrantException);
    }

    @Test
    void invalidNamesAreRejected() throws Exception {
        VectorsConfig vectors = VectorsConfig.newBuilder()
                .setParams(VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine)).build();
        assertStatus(failure(client.createCollectionAsync(CreateCollection.newBuilder()
                        .setCollectionName("a/b").setVectorsConfig(vectors).build())),
                Status.Code.INVALID_ARGUMENT,
                "Validation error in body: [collection_name: collection name cannot contain \"/\" char]");
        String tooLong = "x".repeat(256);
        Status status = failure(client.createCollectionAsync(CreateCollection.newBuilder()
                .setCollectionName(tooLong).setVectorsConfig(vectors).build()));
        assertStatus(status, Status.Code.INVALID_ARGUMENT, "Validation error in body: [collection_name: value \""
                + tooLong + "\" invalid, must be from 1 to 255 characters]");
        // 255 characters is fine
        String longest = "y".repeat(255);
        assertTrue(await(client.createCollectionAsync(CreateCollection.newBuilder()
                .setCollectionName(longest).setVectorsConfig(vectors).build())).getResult());
    }

    @Test
    void invalidVectorConfigIsRejected() throws Exception {
        assertStatus(failure(client.createCollectionAsync("zero-size",
                        VectorParams.newBuilder().setSize(0).setDistance(Distance.Cosine).build())),
                Status.Code.INVALID_ARGUMENT,
                "Validation error in body: [vectors_config.config.size: value 0 invalid, must be from 1 to 65536]");
        assertStatus(failure(client.createCollectionAsync("no-distance",
                        VectorParams.newBuilder().setSize(3).build())),
                Status.Code.INVALID_ARGUMENT, "Malformed distance parameter: UnknownDistance");
        assertFalse(await(client.collectionExistsAsync("zero-size")));
    }

    @Test
    void payloadSchemaReportsIndexesAndPointCounts() throws Exception {
        String name = newCollection(2, Distance.Dot);
        await(client.upsertAsync(name, List.of(
                point(1, f(1, 0), Map.of("kind", value("note"), "n", value(1))),
                point(2, f(0, 1), Map.of("kind", value("task"), "n", value(2.5))),
                point(3, f(1, 1), Map.of("n", value("three"))))));
        await(client.createPayloadIndexAsync(name, "kind", PayloadSchemaType.Keyword, null, true, null, null));
        await(client.createPayloadIndexAsync(name, "n", PayloadSchemaType.Integer, null, true, null, null));
        await(client.createPayloadIndexAsync(name, "tags", PayloadSchemaType.Keyword,
                Collections.PayloadIndexParams.newBuilder().setKeywordIndexParams(
                        Collections.KeywordIndexParams.newBuilder().setIsTenant(true)).build(), true, null, null));

        CollectionInfo info = await(client.getCollectionInfoAsync(name));
        assertEquals(3, info.getPointsCount());
        Map<String, Collections.PayloadSchemaInfo> schema = info.getPayloadSchemaMap();
        assertEquals(3, schema.size());
        assertEquals(PayloadSchemaType.Keyword, schema.get("kind").getDataType());
        assertEquals(2, schema.get("kind").getPoints());
        assertFalse(schema.get("kind").hasParams());
        // only point 1 holds an integer under "n"
        assertEquals(PayloadSchemaType.Integer, schema.get("n").getDataType());
        assertEquals(1, schema.get("n").getPoints());
        assertTrue(schema.get("tags").getParams().getKeywordIndexParams().getIsTenant());
        assertEquals(0, schema.get("tags").getPoints());

        await(client.deletePayloadIndexAsync(name, "n", true, null, null));
        assertEquals(List.of("kind", "tags"), await(client.getCollectionInfoAsync(name))
                .getPayloadSchemaMap().keySet().stream().sorted().toList());
    }

    @Test
    void fieldIndexTypeAndParamsMustAgree() throws Exception {
        String name = newCollection(2, Distance.Dot);
        Status status = failure(client.createPayloadIndexAsync(name, "x", PayloadSchemaType.Integer,
                Collections.PayloadIndexParams.newBuilder().setKeywordIndexParams(
                        Collections.KeywordIndexParams.getDefaultInstance()).build(), true, null, null));
        assertStatus(status, Status.Code.INVALID_ARGUMENT,
                "field_type (Integer) and field_index_params do not match");
    }
}
