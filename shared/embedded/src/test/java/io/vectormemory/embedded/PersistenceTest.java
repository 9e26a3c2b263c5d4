package io.vectormemory.embedded;

import com.google.protobuf.Any;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.vectormemory.embedded.journal.FileJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;
import static io.vectormemory.embedded.QdrantTestSupport.await;
import static io.vectormemory.embedded.QdrantTestSupport.f;
import static io.vectormemory.embedded.QdrantTestSupport.point;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest {

    @TempDir
    Path dir;

    private interface Session {
        void run(QdrantClient client) throws Exception;
    }

    private void withServer(Session session) throws Exception {
        try (EmbeddedQdrant server = EmbeddedQdrant.start(EmbeddedQdrant.Options.persistent(dir));
             QdrantClient client = QdrantTestSupport.client(server.port(), null)) {
            session.run(client);
        }
    }

    private static List<RetrievedPoint> all(QdrantClient client, String c, long... ids) throws Exception {
        return await(client.retrieveAsync(c, Arrays.stream(ids).mapToObj(i -> id(i)).toList(), enable(true),
                io.qdrant.client.WithVectorsSelectorFactory.enable(true), null));
    }

    @Test
    void stateSurvivesRestart() throws Exception {
        withServer(client -> {
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

        withServer(client -> {
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

        withServer(client -> assertEquals(3L, await(client.countAsync("notes"))));
    }

    /** A record cut short: within its body, or within its length prefix. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 40})
    void tornLastRecordIsTruncated(int keptBytes) throws Exception {
        withServer(client -> {
            await(client.createCollectionAsync("c",
                    VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build()));
            await(client.upsertAsync("c", List.of(point(1, f(1, 2), Map.of("v", value("one"))))));
        });
        Path journal = dir.resolve(EmbeddedQdrant.JOURNAL_FILE);
        long intact = Files.size(journal);

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        Any.pack(UpsertPoints.newBuilder().setCollectionName("c").setWait(true)
                .addPoints(point(2, f(3, 4), Map.of("v", value("two")))).build()).writeDelimitedTo(record);
        byte[] bytes = record.toByteArray();
        assertTrue(bytes.length > keptBytes);
        byte[] torn = keptBytes == 1 ? new byte[]{(byte) 0xFF} : Arrays.copyOf(bytes, keptBytes);
        Files.write(journal, torn, StandardOpenOption.APPEND);

        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger journalLog = Logger.getLogger(FileJournal.class.getName());
        journalLog.addHandler(capture);
        try {
            withServer(client -> {
                assertEquals(intact, Files.size(journal), "torn tail truncated");
                assertEquals(1L, await(client.countAsync("c")));
                await(client.upsertAsync("c", List.of(point(2, f(3, 4), Map.of("v", value("two"))))));
            });
        } finally {
            journalLog.removeHandler(capture);
        }
        assertEquals(1, logged.stream().filter(r -> r.getLevel() == Level.WARNING
                && r.getMessage().contains("torn write") && r.getMessage().contains("truncating " + torn.length
                + " trailing bytes")).count(), () -> logged.toString());
        withServer(client -> {
            List<RetrievedPoint> points = all(client, "c", 1, 2);
            assertEquals(List.of(Map.of("v", value("one")), Map.of("v", value("two"))),
                    points.stream().map(RetrievedPoint::getPayloadMap).toList());
        });
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
