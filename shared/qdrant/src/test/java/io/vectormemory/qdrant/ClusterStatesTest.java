package io.vectormemory.qdrant;

import io.grpc.MethodDescriptor;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.SetPayloadPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.WriteOrderingType;
import io.qdrant.client.grpc.PointsGrpc;
import io.vectormemory.embedded.EmbeddedQdrant;
import io.vectormemory.embedded.grpc.ClusterFaults;
import io.vectormemory.embedded.grpc.ClusterFaults.Answer;
import io.vectormemory.qdrant.calls.CollectionMissingException;
import io.vectormemory.qdrant.calls.QdrantBusyException;
import io.vectormemory.qdrant.calls.QdrantCalls;
import io.vectormemory.qdrant.calls.QdrantUnavailableException;
import io.vectormemory.qdrant.connection.QdrantConnection;
import io.vectormemory.qdrant.settings.PointIdScheme;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.qdrant.store.CollectionCatalog;
import io.vectormemory.qdrant.store.CollectionKind;
import io.vectormemory.qdrant.store.DocumentStore;
import io.vectormemory.qdrant.store.Filters;
import io.vectormemory.qdrant.store.InvalidNamespaceException;
import io.vectormemory.qdrant.store.MemoryStore;
import io.vectormemory.qdrant.store.PointIds;
import io.vectormemory.qdrant.store.QdrantPoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static io.vectormemory.qdrant.Samples.DIMENSION;
import static io.vectormemory.qdrant.Samples.USER;
import static io.vectormemory.qdrant.Samples.document;
import static io.vectormemory.qdrant.Samples.memory;
import static io.vectormemory.qdrant.Samples.spread;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a Qdrant cluster answers while it passes through states a single node never reaches, through the real
 * client over real gRPC: the embedded backend's fault mode answers with Qdrant's codes and messages (quoted from its
 * source in {@link ClusterFaults}), or applies a schema change and answers late as Qdrant does while it waits for
 * new replicas. Transient states are {@link QdrantBusyException} (never a failed call, never a missing collection),
 * schema changes have their own deadline, and every write carries the configured ordering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterStatesTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final ClusterFaults faults = new ClusterFaults();
    private EmbeddedQdrant qdrant;
    private final List<QdrantConnection> connections = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        qdrant = EmbeddedQdrant.start(EmbeddedQdrant.Options.inMemory(), faults);
    }

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    @AfterAll
    void stop() {
        connections.forEach(QdrantConnection::close);
        qdrant.close();
    }

    /** Settings as a function reads them, with collection names of the test's own. */
    private QdrantSettings settings(String... kv) {
        int n = SEQUENCE.incrementAndGet();
        Map<String, String> env = new HashMap<>(Map.of(
                "QDRANT_URL", "http://127.0.0.1:" + qdrant.port(),
                "QDRANT_VECTOR_DIMENSION", String.valueOf(DIMENSION),
                "QDRANT_COLLECTION_NAME", "states_" + n + "_mem",
                "QDRANT_DOCUMENTS_COLLECTION_NAME", "states_" + n + "_doc"));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return QdrantSettings.from(env);
    }

    /** The module's classes as QdrantStores wires them, on a connection of their own. */
    private record Module(QdrantSettings settings, CollectionCatalog catalog, QdrantPoints points,
                          MemoryStore memories, DocumentStore documents) {
    }

    private Module module(QdrantSettings settings) {
        QdrantConnection connection = QdrantConnection.open(settings);
        connections.add(connection);
        CollectionCatalog catalog = new CollectionCatalog(connection.client(), settings);
        QdrantPoints points = new QdrantPoints(connection.client(), new PointIds(PointIdScheme.SIPHASH),
                settings.writeOrdering());
        return new Module(settings, catalog, points, new MemoryStore(catalog, points),
                new DocumentStore(catalog, points));
    }

    private static <Q> void answer(ClusterFaults faults, MethodDescriptor<Q, ?> method, Answer answer) {
        faults.answer(method, answer, 1);
    }

    @Test
    void transientClusterAnswersAreBusyOnEveryCall() {
        Module m = module(settings());
        String memories = m.catalog().memories();
        m.catalog().ensure(memories, CollectionKind.MEMORIES);
        m.points().upsert(memories, List.of(m.points().point("mem_42_1", spread(1), memory(USER, "prefs", true))));
        Filter user = Filters.memoriesOfUser(USER);
        record Case(MethodDescriptor<?, ?> method, Answer answer, Executable call) {
        }
        List<Case> cases = List.of(
                new Case(CollectionsGrpc.getCreateMethod(), Answer.noLeader(),
                        () -> m.catalog().ensure(m.catalog().memories("new_a"), CollectionKind.MEMORIES)),
                new Case(CollectionsGrpc.getCreateMethod(), Answer.consensusCommitTimeout(),
                        () -> m.catalog().ensure(m.catalog().memories("new_b"), CollectionKind.MEMORIES)),
                new Case(PointsGrpc.getUpdateBatchMethod(), Answer.noActiveReplica(1),
                        () -> m.points().upsert(memories, List.of(m.points().point("mem_42_2", spread(2),
                                memory(USER, "prefs", true))))),
                new Case(PointsGrpc.getSearchMethod(), Answer.notEnoughActiveReplicas(0),
                        () -> m.points().search(memories, spread(1), user, 5, 0f)),
                new Case(PointsGrpc.getDeleteMethod(), Answer.noOrderingLeader(memories, 1),
                        () -> m.points().delete(memories, "mem_42_1")),
                new Case(PointsGrpc.getCountMethod(), Answer.localShardNotFound(memories, 1),
                        () -> m.points().count(memories, user)),
                new Case(PointsGrpc.getScrollMethod(), Answer.shardNotFound(1),
                        () -> m.points().scroll(memories, user, 10, null, enable(true))),
                new Case(PointsGrpc.getSetPayloadMethod(), Answer.noTargetShard(1),
                        () -> m.points().setPayload(memories, Map.of("a", value(1)), user)));
        for (Case c : cases) {
            answer(faults, c.method(), c.answer());
            assertThrows(QdrantBusyException.class, c.call(), c.answer().message());
        }
        answer(faults, PointsGrpc.getCountMethod(), Answer.shardUnavailable());
        assertThrows(QdrantUnavailableException.class, () -> m.points().count(memories, user));
        // Nothing of that left a trace: the point is still there, alone.
        assertThat(m.points().count(memories, Filter.getDefaultInstance()), is(1L));
    }

    @Test
    void aShardNotFoundIsNeitherAnEmptyReadNorANothingDeleted() {
        Module m = module(settings());
        String memories = m.catalog().memories();
        m.memories().upsert(memories, List.of(m.memories().point("mem_42_1", spread(1), memory(USER, "p", true))));
        m.documents().upsert(List.of(m.documents().point("doc_42_7_0", spread(2), document(USER, 7, "G", 0))));

        answer(faults, PointsGrpc.getSearchMethod(), Answer.shardNotFound(1));
        assertThrows(QdrantBusyException.class,
                () -> m.memories().search(memories, spread(1), USER, null, 5, 0f));
        answer(faults, PointsGrpc.getScrollMethod(), Answer.localShardNotFound(memories, 0));
        assertThrows(QdrantBusyException.class, () -> m.memories().find(memories, "mem_42_1"));
        // A counted delete lists the points first, then deletes exactly those.
        answer(faults, PointsGrpc.getScrollMethod(), Answer.shardNotFound(0));
        assertThrows(QdrantBusyException.class, () -> m.memories().deleteUser(memories, USER));
        answer(faults, PointsGrpc.getDeleteMethod(), Answer.shardNotFound(0));
        assertThrows(QdrantBusyException.class, () -> m.memories().delete(memories, "mem_42_1"));
        answer(faults, PointsGrpc.getDeleteMethod(), Answer.localShardNotFound(m.catalog().documents(), 0));
        assertThrows(QdrantBusyException.class, () -> m.documents().deleteFile(USER, 7));

        // Nothing was deleted, and the real answers still come through.
        assertThat(m.memories().deleteUser(memories, USER), is(1L));
        assertThat(m.documents().deleteFile(USER, 7), is(1L));
        String namespace = m.catalog().memories("never_written");
        assertThat(m.memories().search(namespace, spread(1), USER, null, 5, 0f), is(List.of()));
        assertThat(m.memories().deleteUser(namespace, USER), is(0L));
        assertThrows(CollectionMissingException.class, () -> m.catalog().info(namespace));
    }

    @Test
    void schemaChangesHaveTheirOwnDeadline() {
        // Every other call must answer within 1.5 s; creating a collection and an index may take longer.
        Module m = module(settings("QDRANT_TIMEOUT_MS", "1500", "QDRANT_SCHEMA_TIMEOUT_MS", "20000"));
        faults.delay(CollectionsGrpc.getCreateMethod(), Duration.ofMillis(2500), 1);
        faults.delay(PointsGrpc.getCreateFieldIndexMethod(), Duration.ofMillis(2500), 1);

        m.memories().upsert(m.catalog().memories(),
                List.of(m.memories().point("mem_42_1", spread(1), memory(USER, "p", true))));

        assertThat(m.points().count(m.catalog().memories(), Filter.getDefaultInstance()), is(1L));
        assertThat(faults.requests(CollectionsGrpc.getCreateMethod()), hasSize(1));
    }

    @Test
    void aSchemaChangePastItsDeadlineCompletesAndTheRetryFindsIt() {
        Module m = module(settings("QDRANT_SCHEMA_TIMEOUT_MS", "1000"));
        String namespace = m.catalog().memories("first_write");
        // Qdrant applies the collection, then waits for its replicas longer than the caller does.
        faults.delay(CollectionsGrpc.getCreateMethod(), Duration.ofMillis(3000), 1);
        long start = System.nanoTime();
        assertThrows(QdrantUnavailableException.class, () -> m.memories().upsert(namespace,
                List.of(m.memories().point("mem_42_1", spread(1), memory(USER, "p", true)))));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 3000, is(true));

        // Not proposed at all (no leader): busy, and nothing was created.
        String other = m.catalog().memories("second_write");
        faults.answer(CollectionsGrpc.getCreateMethod(), Answer.noLeader(), 1);
        assertThrows(QdrantBusyException.class, () -> m.memories().upsert(other,
                List.of(m.memories().point("mem_42_2", spread(2), memory(USER, "p", true)))));
        // Committed after Qdrant's own wait ran out, with an error to the caller: the collection is there, so the
        // write goes on.
        String third = m.catalog().memories("third_write");
        faults.answerAfterApplying(CollectionsGrpc.getCreateMethod(), Answer.consensusCommitTimeout(), 1);
        m.memories().upsert(third, List.of(m.memories().point("mem_42_3", spread(3), memory(USER, "p", true))));

        // The client's retries find the collections: created once each, with their indexes, and the writes land.
        m.memories().upsert(namespace, List.of(m.memories().point("mem_42_1", spread(1), memory(USER, "p", true))));
        m.memories().upsert(other, List.of(m.memories().point("mem_42_2", spread(2), memory(USER, "p", true))));
        assertThat(faults.requests(CollectionsGrpc.getCreateMethod()), hasSize(4));
        for (String name : List.of(namespace, other, third)) {
            assertThat(Backend.schemaTypes(m.catalog().info(name)).keySet(),
                    containsInAnyOrder("user_id", "category", "active", "_point_id"));
            assertThat(m.points().count(name, Filter.getDefaultInstance()), is(1L));
        }
    }

    @Test
    void everyWriteCarriesTheOrderingAndReplicatedLayoutsDefaultToMedium() {
        record Expect(String[] env, WriteOrderingType ordering) {
        }
        List<Expect> cases = List.of(
                new Expect(new String[0], WriteOrderingType.Weak),
                new Expect(new String[] {"QDRANT_REPLICATION_FACTOR", "2"}, WriteOrderingType.Medium),
                new Expect(new String[] {"QDRANT_REPLICATION_FACTOR", "2", "QDRANT_WRITE_ORDERING", "strong"},
                        WriteOrderingType.Strong),
                new Expect(new String[] {"QDRANT_REPLICATION_FACTOR", "3", "QDRANT_WRITE_ORDERING", "weak"},
                        WriteOrderingType.Weak));
        for (Expect c : cases) {
            faults.clear();
            Module m = module(settings(c.env()));
            String memories = m.catalog().memories();
            m.memories().upsert(memories, List.of(m.memories().point("mem_42_1", spread(1), memory(USER, "p", true))));
            m.memories().delete(memories, "mem_42_1");
            m.memories().deleteUser(memories, USER);
            m.documents().upsert(List.of(m.documents().point("doc_42_7_0", spread(2), document(USER, 7, "G", 0))));
            m.documents().updateGroupKey(USER, 7, "H");
            m.documents().deleteFile(USER, 7);

            List<UpdateBatchPoints> upserts = faults.requests(PointsGrpc.getUpdateBatchMethod());
            List<DeletePoints> deletes = faults.requests(PointsGrpc.getDeleteMethod());
            List<SetPayloadPoints> payloads = faults.requests(PointsGrpc.getSetPayloadMethod());
            List<CreateFieldIndexCollection> indexes = faults.requests(PointsGrpc.getCreateFieldIndexMethod());
            assertThat(upserts, hasSize(2));
            assertThat(deletes.size(), greaterThanOrEqualTo(2));
            assertThat(payloads, hasSize(1));
            assertThat(indexes, hasSize(8));
            String which = String.join(" ", c.env());
            assertThat(which, upserts.stream().map(u -> u.getOrdering().getType()).toList(),
                    everyItem(is(c.ordering())));
            assertThat(which, deletes.stream().map(d -> d.getOrdering().getType()).toList(),
                    everyItem(is(c.ordering())));
            assertThat(which, payloads.stream().map(p -> p.getOrdering().getType()).toList(),
                    everyItem(is(c.ordering())));
            assertThat(which, indexes.stream().map(i -> i.getOrdering().getType()).toList(),
                    everyItem(is(c.ordering())));
            // Sent explicitly every time, so a server default cannot take its place.
            assertThat(which, upserts.stream().allMatch(UpdateBatchPoints::hasOrdering)
                    && deletes.stream().allMatch(DeletePoints::hasOrdering)
                    && payloads.stream().allMatch(SetPayloadPoints::hasOrdering)
                    && indexes.stream().allMatch(CreateFieldIndexCollection::hasOrdering), is(true));
        }
    }

    @Test
    void aRefusedNamespaceFailsTheWholeBatchBeforeAnythingIsStored() {
        Module m = module(settings("QDRANT_MAX_NAMESPACES", "1"));
        String existing = m.catalog().memories("existing");
        m.memories().upsert(existing, List.of(m.memories().point("mem_42_1", spread(1), memory(USER, "p", true))));
        String refused = m.catalog().memories("refused");
        faults.clear();

        Map<String, List<PointStruct>> batch = new LinkedHashMap<>();
        batch.put(existing, List.of(m.memories().point("mem_42_2", spread(2), memory(USER, "p", true))));
        batch.put(refused, List.of(m.memories().point("mem_42_3", spread(3), memory(USER, "p", true))));
        assertThrows(InvalidNamespaceException.class, () -> m.memories().upsert(batch));

        assertThat(faults.requests(PointsGrpc.getUpdateBatchMethod()), hasSize(0));
        assertThat(faults.requests(CollectionsGrpc.getCreateMethod()), hasSize(0));
        assertThat(QdrantCalls.await(connections.getLast().client().collectionExistsAsync(refused)), is(false));
    }
}
