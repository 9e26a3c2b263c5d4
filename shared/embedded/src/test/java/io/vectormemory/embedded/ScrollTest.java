package io.vectormemory.embedded;

import io.grpc.Status;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScrollTest extends QdrantTestSupport {

    private static final UUID U0 = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final UUID U7 = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
    private static final UUID U8 = UUID.fromString("80000000-0000-0000-0000-000000000000");
    private static final UUID UF = UUID.fromString("ffffffff-0000-0000-0000-000000000000");
    /** 2^63 as an unsigned 64-bit id. */
    private static final long BIG = Long.MIN_VALUE;

    private static String mixedIds() throws Exception {
        String c = newCollection(2, Distance.Dot);
        List<PointStruct> points = new ArrayList<>();
        for (UUID u : List.of(UF, U8, U0, U7)) {
            points.add(PointStruct.newBuilder().setId(id(u)).setVectors(vectors(1, 0))
                    .putPayload("kind", value("uuid")).build());
        }
        for (long n : List.of(BIG, 5L, 3L, 1L, 4L, 2L)) {
            points.add(point(n, f(0, 1), Map.of("kind", value("num"))));
        }
        await(client.upsertAsync(c, points));
        return c;
    }

    @Test
    void pagesThroughNumbersThenUuidsInUnsignedOrder() throws Exception {
        String c = mixedIds();
        List<PointId> seen = new ArrayList<>();
        List<PointId> offsets = new ArrayList<>();
        PointId offset = null;
        int pages = 0;
        do {
            ScrollPoints.Builder request = ScrollPoints.newBuilder().setCollectionName(c).setLimit(3);
            if (offset != null) {
                request.setOffset(offset);
            }
            ScrollResponse page = await(client.scrollAsync(request.build()));
            page.getResultList().forEach(p -> seen.add(p.getId()));
            offset = page.hasNextPageOffset() ? page.getNextPageOffset() : null;
            if (offset != null) {
                offsets.add(offset);
            }
            pages++;
        } while (offset != null);

        assertEquals(List.of(id(1), id(2), id(3), id(4), id(5), id(BIG), id(U0), id(U7), id(U8), id(UF)), seen);
        assertEquals(List.of(id(4), id(U0), id(UF)), offsets);
        assertEquals(4, pages);
    }

    @Test
    void offsetIsInclusiveAndNeedNotExist() throws Exception {
        String c = mixedIds();
        ScrollResponse fromThree = await(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(c)
                .setOffset(id(3)).setLimit(2).build()));
        assertEquals(List.of(id(3), id(4)), fromThree.getResultList().stream().map(RetrievedPoint::getId).toList());
        assertEquals(id(5), fromThree.getNextPageOffset());

        ScrollResponse fromUuid = await(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(c)
                .setOffset(id(UUID.fromString("10000000-0000-0000-0000-000000000000"))).build()));
        assertEquals(List.of(id(U7), id(U8), id(UF)),
                fromUuid.getResultList().stream().map(RetrievedPoint::getId).toList());
        assertFalse(fromUuid.hasNextPageOffset());
    }

    @Test
    void defaultsAreLimitTenWithPayloadWithoutVectors() throws Exception {
        String c = newCollection(2, Distance.Dot);
        List<PointStruct> points = new ArrayList<>();
        for (long i = 1; i <= 12; i++) {
            points.add(point(i, f(1, 0), Map.of("i", value(i))));
        }
        await(client.upsertAsync(c, points));
        ScrollResponse page = await(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(c).build()));
        assertEquals(10, page.getResultCount());
        assertEquals(id(11), page.getNextPageOffset());
        assertEquals(Map.of("i", value(1)), page.getResult(0).getPayloadMap());
        assertFalse(page.getResult(0).hasVectors());
        assertEquals(12L, await(client.countAsync(c)));

        ScrollResponse exact = await(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(c)
                .setLimit(12).build()));
        assertEquals(12, exact.getResultCount());
        assertFalse(exact.hasNextPageOffset(), "no next page when the last page is exactly full");
    }

    @Test
    void limitZeroIsRejected() throws Exception {
        String c = newCollection(2, Distance.Dot);
        Status status = failure(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(c).setLimit(0).build()));
        assertStatus(status, Status.Code.INVALID_ARGUMENT,
                "Validation error in body: [limit: value 0 invalid, must be 1 or larger]");
        assertTrue(await(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(c).build()))
                .getResultList().isEmpty());
    }
}
