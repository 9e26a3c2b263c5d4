package io.vectormemory.embedded.store.lucene;

import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.vectormemory.embedded.model.Distance;
import io.vectormemory.embedded.model.PointId;
import io.vectormemory.embedded.store.CollectionSpec;
import io.vectormemory.embedded.store.StoredPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.qdrant.client.ValueFactory.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The background refresh (LucenePointStore#refreshAhead) moves searchers to the buffered writes and drops the
 * points it covered from those kept for lookups, so they do not stay on the heap until the next read; lookups
 * answer the same before and after it, also for points changed after it.
 */
class RefreshAheadTest {

    @TempDir
    Path dir;

    private static StoredPoint point(long id, String tag, long version) {
        return new StoredPoint(PointId.num(id), new float[]{1f, id, 2f}, Map.<String, Value>of("tag", value(tag)),
                version);
    }

    private static String tag(LucenePointStore store, long id) {
        Optional<StoredPoint> p = store.get(PointId.num(id));
        return p.map(s -> s.payload().get("tag").getStringValue()).orElse(null);
    }

    @Test
    void lookupsAnswerTheSameAcrossRefreshesAndTheKeptPointsAreDropped() throws Exception {
        LucenePointStore store = LucenePointStore.create(dir, "c",
                new CollectionSpec(3, Distance.EUCLID, CollectionConfig.getDefaultInstance()), 0);
        try {
            store.upsert(0, List.of(point(1, "a", 0), point(2, "a", 0), point(3, "a", 0)));
            store.finish(0, 1, true);
            assertEquals(3, store.keptForLookups());

            store.refreshAhead();
            assertEquals(0, store.keptForLookups());
            assertEquals("a", tag(store, 1));

            store.upsert(1, List.of(point(1, "b", 1)));
            store.delete(1, List.of(PointId.num(2)));
            store.finish(1, 2, true);
            assertEquals(2, store.keptForLookups());
            assertEquals("b", tag(store, 1));
            assertEquals(null, tag(store, 2));

            store.refreshAhead();
            assertEquals(0, store.keptForLookups());
            assertEquals("b", tag(store, 1));
            assertEquals(null, tag(store, 2));
            assertEquals("a", tag(store, 3));
            assertEquals(2, store.size());
        } finally {
            store.close();
        }
    }
}
