package io.vectormemory.embedded;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpdateResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.qdrant.client.ValueFactory.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrencyTest extends QdrantTestSupport {

    private static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(20, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCreateOfTheSameCollectionHasOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = "race-" + round;
            List<Status.Code> outcomes = race(6, () -> {
                ListenableFuture<?> f = client.createCollectionAsync(name,
                        VectorParams.newBuilder().setSize(3).setDistance(Distance.Cosine).build());
                try {
                    await(f);
                    return Status.Code.OK;
                } catch (StatusRuntimeException e) {
                    return e.getStatus().getCode();
                }
            });
            assertEquals(1, outcomes.stream().filter(c -> c == Status.Code.OK).count(), outcomes::toString);
            assertEquals(5, outcomes.stream().filter(c -> c == Status.Code.ALREADY_EXISTS).count(),
                    outcomes::toString);
            assertEquals(3, await(client.getCollectionInfoAsync(name)).getConfig().getParams()
                    .getVectorsConfig().getParams().getSize());
        }
    }

    @Test
    void concurrentWritesAndReadsOnOneCollection() throws Exception {
        String c = newCollection(2, Distance.Dot);
        int threads = 4;
        int perThread = 25;
        List<List<Long>> operationIds = race(threads, () -> {
            long base = Thread.currentThread().threadId() * 1000;
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                UpdateResult r = await(client.upsertAsync(c, List.of(
                        point(base + i, f(1, i), Map.of("t", value(base))))));
                ids.add(r.getOperationId());
                await(client.searchAsync(SearchPoints.newBuilder().setCollectionName(c)
                        .addAllVector(List.of(1f, 0f)).setLimit(5).build()));
                await(client.countAsync(c));
            }
            return ids;
        });
        Set<Long> all = new TreeSet<>();
        operationIds.forEach(all::addAll);
        assertEquals(threads * perThread, all.size(), "every write got its own operation id");
        assertEquals(0L, ((TreeSet<Long>) all).first());
        assertEquals(threads * perThread - 1L, ((TreeSet<Long>) all).last());
        assertEquals((long) threads * perThread, await(client.countAsync(c)));
        for (List<Long> ids : operationIds) {
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i) > ids.get(i - 1), "ids increase within a thread");
            }
        }
    }
}
