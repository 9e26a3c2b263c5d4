package io.vectormemory.qdrant.store;

import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.vectormemory.qdrant.calls.QdrantCalls;
import io.vectormemory.qdrant.connection.QdrantConnection;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether Qdrant answers, and the default memories collection's status: both calls run in parallel under a short
 * deadline of their own, so an outage is reported within it, not after the general call timeout.
 */
public final class QdrantHealth {
    /**
     * @param connected whether Qdrant answered its health check
     * @param memories  the default memories collection, when Qdrant answered for it too
     */
    public record Report(boolean connected, Optional<CollectionInfo> memories) {
    }

    private final QdrantConnection connection;
    private final String memoriesCollection;
    private final Duration deadline;

    public QdrantHealth(QdrantConnection connection, String memoriesCollection, Duration deadline) {
        this.connection = connection;
        this.memoriesCollection = memoriesCollection;
        this.deadline = deadline;
    }

    public Report check() {
        var client = connection.client();
        var check = client.healthCheckAsync(deadline);
        var info = client.getCollectionInfoAsync(memoriesCollection, deadline);
        boolean connected = result(check).isPresent();
        Optional<CollectionInfo> memories = connected ? result(info) : Optional.empty();
        if (!connected) {
            // Dial Qdrant again now rather than after the channel's backoff, so health turns green promptly.
            connection.reconnectSoon();
        }
        return new Report(connected, memories);
    }

    private <T> Optional<T> result(Future<T> call) {
        long start = System.nanoTime();
        try {
            return Optional.ofNullable(call.get(deadline.toMillis() + 100, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            call.cancel(true);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            QdrantCalls.addTime(System.nanoTime() - start);
        }
    }
}
