package io.vectormemory.tests;

import io.grpc.MethodDescriptor;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.WriteOrderingType;
import io.qdrant.client.grpc.PointsGrpc;
import io.vectormemory.embedded.EmbeddedQdrant;
import io.vectormemory.embedded.grpc.ClusterFaults;
import io.vectormemory.embedded.grpc.ClusterFaults.Answer;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Calls;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Samples;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.vectormemory.tests.support.Data.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The functions in front of a Qdrant cluster passing through states a single node never reaches, played by the
 * embedded backend's fault mode with Qdrant's own codes and messages: every such answer is a 503 JSON error with
 * Retry-After (never a 500, never an empty read or a count of nothing); a first write to a namespace waits for the
 * schema change, and one whose budget ends first is a 503 that the retry heals; writes carry medium ordering on a
 * replicated layout; namespaces are bounded.
 */
class ClusterStatesHttpTest {
    private static final int DIM = Deployment.DIMENSION;
    /** Routes that never call Qdrant, and /health, which reports Qdrant's state in its body. */
    private static final Set<Route> NO_DATA_CALL = EnumSet.of(Route.CAPABILITIES, Route.OPENAPI, Route.HEALTH);
    /** Every RPC the functions make on the request path. */
    private static final List<MethodDescriptor<?, ?>> DATA_RPCS = List.of(
            PointsGrpc.getUpdateBatchMethod(), PointsGrpc.getDeleteMethod(), PointsGrpc.getSearchMethod(),
            PointsGrpc.getScrollMethod(), PointsGrpc.getCountMethod(), PointsGrpc.getSetPayloadMethod(),
            PointsGrpc.getCreateFieldIndexMethod(), CollectionsGrpc.getCreateMethod(), CollectionsGrpc.getGetMethod(),
            CollectionsGrpc.getCollectionExistsMethod(), CollectionsGrpc.getListMethod());

    private static final ClusterFaults faults = new ClusterFaults();
    private static EmbeddedQdrant qdrant;
    private static final List<Deployment> deployments = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        qdrant = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory().withApiKey(Backend.QDRANT_API_KEY), faults);
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @AfterAll
    static void stop() {
        deployments.forEach(Deployment::close);
        qdrant.close();
    }

    private static Deployment functions(String... kv) {
        Map<String, String> env = new HashMap<>(Deployment.contractEnv(URI.create("http://127.0.0.1:" + qdrant.port())));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        Deployment d = Deployments.functions(env).bootstrap();
        deployments.add(d);
        return d;
    }

    private static void busy(Response r) {
        String message = Expect.error(r, 503);
        assertTrue(r.header("retry-after").orElse("").matches("[1-9][0-9]*"), () -> "Retry-After: " + r);
        for (String leak : List.of("shard", "replica", "leader", "consensus", "Service internal", "peer")) {
            assertFalse(message.contains(leak), () -> "Qdrant's words in the error: " + r);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyTransientClusterAnswerIs503OnEveryRoute() {
        Deployment d = functions();
        List<Answer> answers = List.of(Answer.noLeader(), Answer.consensusCommitTimeout(), Answer.noActiveReplica(1),
                Answer.notEnoughActiveReplicas(0), Answer.noOrderingLeader("c", 1), Answer.shardNotFound(1),
                Answer.localShardNotFound("c", 0), Answer.noTargetShard(1), Answer.shardUnavailable());
        return answers.stream().map(answer -> dynamicTest(answer.code() + " " + answer.message(), () -> {
            faults.clear();
            for (MethodDescriptor<?, ?> rpc : DATA_RPCS) {
                faults.answer(rpc, answer, ClusterFaults.ALWAYS);
            }
            for (Route route : Route.values()) {
                if (!NO_DATA_CALL.contains(route)) {
                    busy(Samples.valid(route, DIM).send(Http.to(d.url(route)).apiKey(Deployment.KEY)));
                }
            }
            faults.clear();
            Expect.status(Samples.valid(Route.MEMORY_SEARCH, DIM).send(
                    Http.to(d.url(Route.MEMORY_SEARCH)).apiKey(Deployment.KEY)), 200);
        }));
    }

    @Test
    void aShardNotFoundIsNeitherAnEmptyReadNorACountOfNothing() {
        Deployment d = functions();
        Calls calls = new Calls(d);
        long user = Data.user();
        String id = Data.memoryId(user);
        float[] v = Vectors.random(DIM, 3);
        Expect.status(calls.upsertMemory(Data.memory(id, v, Data.memoryPayload(user))), 200);
        Expect.status(calls.http(Route.DOCUMENT_UPSERT).post("/documents", Data.document(
                Data.documentId(user, 7, 0), v, Data.documentPayload(user, 7, "g", 0))), 200);

        faults.answer(PointsGrpc.getSearchMethod(), Answer.shardNotFound(1), ClusterFaults.ALWAYS);
        busy(calls.searchMemories("{\"query_vector\":" + Vectors.json(v) + ",\"user_id\":" + user + "}"));
        faults.clear();
        faults.answer(PointsGrpc.getScrollMethod(), Answer.localShardNotFound("c", 0), ClusterFaults.ALWAYS);
        busy(calls.getMemory(id));
        busy(calls.scrollMemories("{\"user_id\":" + user + "}"));
        faults.clear();
        // Counted deletes list the points first (scroll), then delete exactly those.
        faults.answer(PointsGrpc.getScrollMethod(), Answer.shardNotFound(0), ClusterFaults.ALWAYS);
        busy(calls.http(Route.MEMORY_DELETE_USER).delete("/memories/user/" + user));
        busy(calls.http(Route.DOCUMENT_DELETE_BY_FILE).post("/documents/delete-by-file",
                "{\"user_id\":" + user + ",\"file_id\":7}"));
        faults.clear();
        faults.answer(PointsGrpc.getDeleteMethod(), Answer.localShardNotFound("c", 0), ClusterFaults.ALWAYS);
        busy(calls.http(Route.MEMORY_DELETE).delete("/memories/" + id));
        busy(calls.http(Route.MEMORY_DELETE_USER).delete("/memories/user/" + user));
        faults.clear();

        // Nothing was deleted meanwhile, and the real counts come through once the cluster is whole.
        Expect.status(calls.getMemory(id), 200);
        Expect.count(calls.http(Route.MEMORY_DELETE_USER).delete("/memories/user/" + user), 1);
        Expect.count(calls.http(Route.DOCUMENT_DELETE_BY_FILE).post("/documents/delete-by-file",
                "{\"user_id\":" + user + ",\"file_id\":7}"), 1);
    }

    @Test
    void aFirstWriteToANamespaceWaitsForTheSchemaChangeAndOneThatGivesUpIsHealedByTheRetry() {
        // Every other call must answer within 2 s; creating a collection may take Qdrant's replica wait.
        Deployment patient = functions("QDRANT_TIMEOUT_MS", "2000", "QDRANT_SCHEMA_TIMEOUT_MS", "20000");
        Calls calls = new Calls(patient);
        long user = Data.user();
        String ns = Data.namespace();
        String id = Data.memoryId(user);
        faults.delay(CollectionsGrpc.getCreateMethod(), Duration.ofMillis(3500), 1);
        Expect.status(calls.upsertMemory(Data.memory(id, Vectors.random(DIM, 4), Data.memoryPayload(user), ns)), 200);
        Expect.status(calls.getMemory(id, ns), 200);

        // A schema deadline shorter than the cluster's wait: 503, while the collection is created all the same.
        Deployment hasty = functions("QDRANT_SCHEMA_TIMEOUT_MS", "1000");
        calls = new Calls(hasty);
        faults.clear();
        String late = Data.namespace();
        faults.delay(CollectionsGrpc.getCreateMethod(), Duration.ofMillis(3000), 1);
        String body = Data.memory(id, Vectors.random(DIM, 5), Data.memoryPayload(user), late);
        busy(calls.upsertMemory(body));
        Expect.status(calls.upsertMemory(body), 200);
        // No leader: nothing proposed, 503; the retry creates it.
        String leaderless = Data.namespace();
        faults.answer(CollectionsGrpc.getCreateMethod(), Answer.noLeader(), 1);
        String other = Data.memory(id, Vectors.random(DIM, 6), Data.memoryPayload(user), leaderless);
        busy(calls.upsertMemory(other));
        Expect.status(calls.upsertMemory(other), 200);
        // Committed after Qdrant stopped waiting for it: the write goes on at once.
        String committed = Data.namespace();
        faults.answerAfterApplying(CollectionsGrpc.getCreateMethod(), Answer.consensusCommitTimeout(), 1);
        Expect.status(calls.upsertMemory(Data.memory(id, Vectors.random(DIM, 7), Data.memoryPayload(user),
                committed)), 200);

        assertEquals(4, faults.requests(CollectionsGrpc.getCreateMethod()).size(),
                "one creation each, one more for the leaderless attempt");
        for (String namespace : List.of(late, leaderless, committed)) {
            Expect.status(calls.getMemory(id, namespace), 200);
        }
    }

    @Test
    void everyWriteRouteCarriesMediumOrderingOnAReplicatedLayout() {
        Deployment d = functions("QDRANT_REPLICATION_FACTOR", "2");
        Calls calls = new Calls(d);
        long user = Data.user();
        float[] v = Vectors.random(DIM, 8);
        String memory = Data.memoryId(user);
        faults.clear();
        Expect.status(calls.upsertMemory(Data.memory(memory, v, Data.memoryPayload(user))), 200);
        Expect.status(calls.memoryBatch("{\"points\":[" + Data.memory(Data.memoryId(user), v,
                Data.memoryPayload(user), Data.namespace()) + "]}"), 200);
        Expect.status(calls.http(Route.MEMORY_DELETE).delete("/memories/" + memory), 200);
        Expect.status(calls.upsertMemory(Data.memory(memory, v, Data.memoryPayload(user))), 200);
        Expect.count(calls.http(Route.MEMORY_DELETE_USER).delete("/memories/user/" + user), 1);
        Http upsert = calls.http(Route.DOCUMENT_UPSERT);
        for (int chunk = 0; chunk < 3; chunk++) {
            Expect.status(upsert.post("/documents", Data.document(Data.documentId(user, 7, chunk), v,
                    Data.documentPayload(user, 7, "g", chunk))), 200);
        }
        Expect.status(upsert.post("/documents/batch", "{\"documents\":[" + Data.document(
                Data.documentId(user, 8, 0), v, Data.documentPayload(user, 8, "g", 0)) + "]}"), 200);
        Expect.status(upsert.send("DELETE", "/documents/" + Data.documentId(user, 7, 0), null, null), 200);
        Expect.count(upsert.post("/documents/update-group-key",
                "{\"user_id\":" + user + ",\"file_id\":7,\"new_group_key\":\"h\"}"), 2);
        Expect.count(upsert.post("/documents/delete-by-file", "{\"user_id\":" + user + ",\"file_id\":7}"), 2);
        Expect.count(upsert.post("/documents/delete-by-group", "{\"user_id\":" + user + ",\"group_key\":\"g\"}"), 1);

        List<UpdateBatchPoints> upserts = faults.requests(PointsGrpc.getUpdateBatchMethod());
        List<DeletePoints> deletes = faults.requests(PointsGrpc.getDeleteMethod());
        List<SetPayloadPoints> payloads = faults.requests(PointsGrpc.getSetPayloadMethod());
        assertEquals(7, upserts.size());
        assertEquals(5, deletes.size());
        assertEquals(1, payloads.size());
        List<WriteOrderingType> sent = new ArrayList<>();
        upserts.forEach(u -> sent.add(u.hasOrdering() ? u.getOrdering().getType() : null));
        deletes.forEach(u -> sent.add(u.hasOrdering() ? u.getOrdering().getType() : null));
        payloads.forEach(u -> sent.add(u.hasOrdering() ? u.getOrdering().getType() : null));
        assertEquals(List.of(WriteOrderingType.Medium), sent.stream().distinct().toList(), sent::toString);
    }

    @Test
    void namespacesAreBoundedInNumberAndNameLength() {
        Deployment d = functions("QDRANT_MAX_NAMESPACES", "2");
        Calls calls = new Calls(d);
        long user = Data.user();
        float[] v = Vectors.random(DIM, 9);
        String first = Data.namespace();
        String second = Data.namespace();
        String third = Data.namespace();
        Expect.status(calls.upsertMemory(Data.memory(Data.memoryId(user), v, Data.memoryPayload(user), first)), 200);
        Expect.status(calls.upsertMemory(Data.memory(Data.memoryId(user), v, Data.memoryPayload(user), second)), 200);
        faults.clear();

        String refusedId = Data.memoryId(user);
        Expect.errorStartsWith(calls.upsertMemory(Data.memory(refusedId, v, Data.memoryPayload(user), third)), 400,
                "Too many namespaces");
        // A batch that would open a new namespace stores nothing, not even its points for existing ones.
        String batchedId = Data.memoryId(user);
        Expect.errorStartsWith(calls.memoryBatch("{\"points\":[" + Data.memory(batchedId, v, Data.memoryPayload(user),
                first) + "," + Data.memory(Data.memoryId(user), v, Data.memoryPayload(user), third) + "]}"), 400,
                "Too many namespaces");
        Expect.error(calls.getMemory(batchedId, first), 404);
        // Existing namespaces stay writable; reading a new one is no write and stays empty.
        Expect.status(calls.upsertMemory(Data.memory(Data.memoryId(user), v, Data.memoryPayload(user), second)), 200);
        Expect.json(calls.searchMemories("{\"query_vector\":" + Vectors.json(v) + ",\"user_id\":" + user
                + ",\"namespace\":" + str(third) + "}"), "{\"results\":[],\"count\":0}");

        // A name longer than snapshots allow: 400, whatever the count.
        String tooLong = "n".repeat(200);
        Expect.errorStartsWith(calls.upsertMemory(Data.memory(Data.memoryId(user), v, Data.memoryPayload(user),
                tooLong)), 400, "Namespace too long");
        assertEquals(0, faults.requests(CollectionsGrpc.getCreateMethod()).size(), "nothing was created");
    }
}
