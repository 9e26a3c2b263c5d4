package io.vectormemory.embedded;

import com.google.protobuf.Any;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.vectormemory.embedded.EmbeddedQdrant.Storage;
import io.vectormemory.embedded.journal.WriteAheadLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static io.vectormemory.embedded.QdrantTestSupport.await;
import static io.vectormemory.embedded.QdrantTestSupport.f;
import static io.vectormemory.embedded.QdrantTestSupport.point;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What survives a restart, a crash (a halt without the final checkpoint) and damage on disk. */
class PersistenceTest {

    @TempDir
    Path dir;

    private interface Session {
        void run(QdrantClient client) throws Exception;
    }

    private void withServer(Storage storage, boolean crash, Session session) throws Exception {
        EmbeddedQdrant server = EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir).withStorage(storage));
        try (QdrantClient client = QdrantTestSupport.client(server.port(), null)) {
            session.run(client);
        } finally {
            if (crash) {
                server.halt();
            } else {
                server.close();
            }
        }
    }

    private void withServer(Session session) throws Exception {
        withServer(Storage.LUCENE, false, session);
    }

    private static List<RetrievedPoint> all(QdrantClient client, String c, long... ids) throws Exception {
        return await(client.retrieveAsync(c, Arrays.stream(ids).mapToObj(i -> id(i)).toList(), enable(true),
                io.qdrant.client.WithVectorsSelectorFactory.enable(true), null));
    }

    @ParameterizedTest(name = "{0}, crash: {1}")
    @CsvSource({"LUCENE, false", "LUCENE, true", "JOURNALED_MEMORY, false", "JOURNALED_MEMORY, true"})
    void stateSurvivesRestart(Storage storage, boolean crash) throws Exception {
        withServer(storage, crash, client -> {
            await(client.createCollectionAsync("notes",
                    VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine).build()));
            await(client.createCollectionAsync("scratch",
                    VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build()));
            await(client.createPayloadIndexAsync("notes", "kind", Collections.PayloadSchemaType.Keyword, null,
                    true, null, null));
            await(client.upsertAsync("notes", List.of(
                    point(1, f(3, 4), Map.of("kind", value("a"))),
                    point(2, f(1, 0), Map.of("kind", value("b"))),
                    point(3, f(0, 1), Map.of()))));
            await(client.setPayloadAsync("notes", Map.of("extra", value(1)), id(2), true, null, null));
            await(client.deleteAsync("notes", List.of(id(3))));
            await(client.deleteCollectionAsync("scratch"));
        });

        withServer(storage, crash, client -> {
            assertEquals(List.of("notes"), await(client.listCollectionsAsync()));
            List<RetrievedPoint> points = all(client, "notes", 1, 2, 3);
            assertEquals(2, points.size());
            assertEquals(List.of(0.6f, 0.8f), points.get(0).getVectors().getVector().getDataList());
            assertEquals(Map.of("kind", value("a")), points.get(0).getPayloadMap());
            assertEquals(Map.of("kind", value("b"), "extra", value(1)), points.get(1).getPayloadMap());
            CollectionInfo info = await(client.getCollectionInfoAsync("notes"));
            assertEquals(2, info.getPointsCount());
            assertEquals(Collections.PayloadSchemaType.Keyword, info.getPayloadSchemaMap().get("kind").getDataType());
            assertEquals(2, info.getPayloadSchemaMap().get("kind").getPoints());
            // operations 0..3 were: index, upsert, set payload, delete; numbering continues
            UpdateResult next = await(client.upsertAsync("notes", List.of(point(4, f(1, 1), Map.of()))));
            assertEquals(4, next.getOperationId());
        });

        withServer(storage, crash, client -> assertEquals(3L, await(client.countAsync("notes"))));
    }

    /** Writes after the last checkpoint live only in the journal until the next start replays them. */
    @Test
    void journalTailIsReplayedOntoTheLastCheckpoint() throws Exception {
        EmbeddedQdrant server = EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir));
        try (QdrantClient client = QdrantTestSupport.client(server.port(), null)) {
            await(client.createCollectionAsync("c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build()));
            await(client.upsertAsync("c", List.of(point(1, f(1, 0), Map.of("v", value("one"))),
                    point(2, f(0, 1), Map.of("v", value("two"))))));
            server.checkpoint();
            // after the checkpoint: journal only
            await(client.upsertAsync("c", List.of(point(3, f(1, 1), Map.of("v", value("three"))))));
            await(client.setPayloadAsync("c", Map.of("w", value(true)), id(1), true, null, null));
            await(client.deleteAsync("c", List.of(id(2))));
            await(client.createPayloadIndexAsync("c", "v", Collections.PayloadSchemaType.Keyword, null, true, null, null));
            await(client.createCollectionAsync("d", VectorParams.newBuilder().setSize(3).setDistance(Distance.Euclid).build()));
            await(client.upsertAsync("d", List.of(point(9, f(1, 2, 3), Map.of()))));
            await(client.deleteCollectionAsync("d"));
            await(client.createCollectionAsync("d", VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine).build()));
            await(client.upsertAsync("d", List.of(point(10, f(1, 2), Map.of()))));
        } finally {
            server.halt();
        }
        withServer(client -> {
            List<RetrievedPoint> points = all(client, "c", 1, 2, 3);
            assertEquals(List.of(1L, 3L), points.stream().map(p -> p.getId().getNum()).toList());
            assertEquals(Map.of("v", value("one"), "w", value(true)), points.get(0).getPayloadMap());
            assertEquals(Map.of("v", value("three")), points.get(1).getPayloadMap());
            assertEquals(2, await(client.getCollectionInfoAsync("c")).getPayloadSchemaMap().get("v").getPoints());
            assertEquals(List.of(10L), all(client, "d", 9, 10).stream().map(p -> p.getId().getNum()).toList());
            assertEquals(2, await(client.getCollectionInfoAsync("d")).getConfig().getParams().getVectorsConfig()
                    .getParams().getSize());
            List<ScoredPoint> hits = await(client.searchAsync(SearchPoints.newBuilder().setCollectionName("c")
                    .addAllVector(List.of(1f, 0f)).setLimit(5)
                    .setFilter(io.qdrant.client.grpc.Common.Filter.newBuilder().addMust(matchKeyword("v", "three")))
                    .build()));
            assertEquals(1, hits.size());
            assertEquals(1f, hits.getFirst().getScore());
            // operations 0..4 were: upsert, upsert, set payload, delete, index
            assertEquals(5, await(client.upsertAsync("c", List.of(point(4, f(1, 1), Map.of())))).getOperationId());
        });
        // the clean shutdown checkpointed: nothing left to replay
        try (Stream<Path> segments = Files.list(dir.resolve(EmbeddedQdrant.JOURNAL_DIR))) {
            List<Path> files = segments.toList();
            assertEquals(1, files.size(), files::toString);
            assertEquals(20, Files.size(files.getFirst()), "only the segment header");
        }
    }

    @Test
    void tornJournalTailIsTruncated() throws Exception {
        EmbeddedQdrant server = EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir));
        try (QdrantClient client = QdrantTestSupport.client(server.port(), null)) {
            await(client.createCollectionAsync("c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build()));
            server.checkpoint();
            await(client.upsertAsync("c", List.of(point(1, f(1, 2), Map.of("v", value("one"))))));
        } finally {
            server.halt();
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve(EmbeddedQdrant.JOURNAL_DIR))) {
            segment = files.filter(p -> p.toString().endsWith(".wal")).sorted().toList().getLast();
        }
        long intact = Files.size(segment);
        // half of a record (a crash during an unacknowledged append)
        byte[] half = new byte[40];
        Arrays.fill(half, (byte) 0x5A);
        Files.write(segment, half, StandardOpenOption.APPEND);

        List<java.util.logging.LogRecord> logged = io.vectormemory.embedded.journal.LogCapture.capture(WriteAheadLog.class);
        try {
            withServer(client -> {
                assertEquals(intact, Files.size(segment), "torn tail truncated");
                assertEquals(1L, await(client.countAsync("c")));
                await(client.upsertAsync("c", List.of(point(2, f(3, 4), Map.of("v", value("two"))))));
            });
        } finally {
            io.vectormemory.embedded.journal.LogCapture.release(WriteAheadLog.class);
        }
        assertTrue(logged.stream().anyMatch(r -> r.getMessage().contains("torn write")
                && r.getMessage().contains("truncating 40 trailing bytes")), logged::toString);
        withServer(client -> assertEquals(List.of(Map.of("v", value("one")), Map.of("v", value("two"))),
                all(client, "c", 1, 2).stream().map(RetrievedPoint::getPayloadMap).toList()));
    }

    @Test
    void damagedIndexIsNotServed() throws Exception {
        withServer(client -> {
            await(client.createCollectionAsync("c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build()));
            await(client.upsertAsync("c", List.of(point(1, f(1, 2), Map.of("v", value("one"))))));
        });
        Path commit;
        try (Stream<Path> files = Files.walk(dir.resolve(EmbeddedQdrant.COLLECTIONS_DIR))) {
            commit = files.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(commit, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{0x13}), Files.size(commit) - 9);
        }
        IOException e = assertThrows(IOException.class,
                () -> EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir)));
        assertTrue(e.getMessage().contains("cannot open collection index"), e.getMessage());
    }

    @Test
    void journalBehindTheCollectionsIsNotServed() throws Exception {
        Path saved = dir.resolveSibling(dir.getFileName() + "-journal");
        EmbeddedQdrant server = EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir));
        try (QdrantClient client = QdrantTestSupport.client(server.port(), null)) {
            await(client.createCollectionAsync("c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build()));
            await(client.upsertAsync("c", List.of(point(1, f(1, 2), Map.of()))));
            copyTree(dir.resolve(EmbeddedQdrant.JOURNAL_DIR), saved);
            await(client.upsertAsync("c", List.of(point(2, f(1, 2), Map.of()))));
            server.checkpoint();
        } finally {
            server.halt();
        }
        // an old copy of the journal: the collection's commit contains a record the journal lacks
        deleteTree(dir.resolve(EmbeddedQdrant.JOURNAL_DIR));
        copyTree(saved, dir.resolve(EmbeddedQdrant.JOURNAL_DIR));
        deleteTree(saved);
        IOException e = assertThrows(IOException.class,
                () -> EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir)));
        assertTrue(e.getMessage().contains("the journal is incomplete"), e.getMessage());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void deleteTree(Path d) throws IOException {
        try (Stream<Path> files = Files.walk(d)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void emptyJournalStartsAfterTheCollections() throws Exception {
        withServer(client -> {
            await(client.createCollectionAsync("c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build()));
            await(client.upsertAsync("c", List.of(point(1, f(1, 2), Map.of()))));
        });
        try (Stream<Path> files = Files.list(dir.resolve(EmbeddedQdrant.JOURNAL_DIR))) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        // an empty journal starts after the collections' positions: nothing was lost
        withServer(client -> assertEquals(1L, await(client.countAsync("c"))));
    }

    @Test
    void legacyJournalIsImportedOnce() throws Exception {
        ByteArrayOutputStream legacy = new ByteArrayOutputStream();
        Any.pack(CreateCollection.newBuilder().setCollectionName("old")
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(
                        VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine))).build())
                .writeDelimitedTo(legacy);
        Any.pack(UpdateBatchPoints.newBuilder().setCollectionName("old").addOperations(
                PointsUpdateOperation.newBuilder().setUpsert(PointsUpdateOperation.PointStructList.newBuilder()
                        .addPoints(point(5, f(3, 4), Map.of("k", value("v")))))).build()).writeDelimitedTo(legacy);
        legacy.write(new byte[]{(byte) 0x80}); // torn last record
        Files.createDirectories(dir);
        Files.write(dir.resolve(EmbeddedQdrant.LEGACY_JOURNAL_FILE), legacy.toByteArray());

        withServer(client -> {
            List<RetrievedPoint> points = all(client, "old", 5);
            assertEquals(Map.of("k", value("v")), points.getFirst().getPayloadMap());
            assertEquals(List.of(0.6f, 0.8f), points.getFirst().getVectors().getVector().getDataList());
        });
        assertFalse(Files.exists(dir.resolve(EmbeddedQdrant.LEGACY_JOURNAL_FILE)));
        assertTrue(Files.exists(dir.resolve(EmbeddedQdrant.LEGACY_JOURNAL_FILE + ".imported")));
        withServer(client -> assertEquals(1L, await(client.countAsync("old"))));
    }

    @Test
    void dataDirectoryCannotBeSharedByTwoServers() throws Exception {
        try (EmbeddedQdrant first = EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir))) {
            IOException e = assertThrows(IOException.class,
                    () -> EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir)));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertTrue(first.port() > 0);
        }
        // released on close
        EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir)).close();
    }
}
