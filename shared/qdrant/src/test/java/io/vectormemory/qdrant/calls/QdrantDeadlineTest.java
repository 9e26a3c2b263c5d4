package io.vectormemory.qdrant.calls;

import io.vectormemory.qdrant.connection.QdrantConnection;
import io.vectormemory.qdrant.settings.PointIdScheme;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.qdrant.settings.WriteOrdering;
import io.vectormemory.qdrant.store.CollectionCatalog;
import io.vectormemory.qdrant.store.Filters;
import io.vectormemory.qdrant.store.PointIds;
import io.vectormemory.qdrant.store.QdrantPoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every Qdrant call has a deadline: a backend that accepts connections but never answers is soon unavailable. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QdrantDeadlineTest {
    private static final long TIMEOUT_MILLIS = 400;

    private static QdrantSettings settings(int port) {
        return QdrantSettings.from(Map.of(
                "QDRANT_URL", "http://127.0.0.1:" + port,
                "QDRANT_TIMEOUT_MS", String.valueOf(TIMEOUT_MILLIS)));
    }

    @Test
    void silentBackendIsUnavailableAfterTheDeadline() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accept, then never speak HTTP/2
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            try (QdrantConnection c = QdrantConnection.open(settings(silent.getLocalPort()))) {
                CollectionCatalog collections = new CollectionCatalog(c.client(), settings(silent.getLocalPort()));
                for (int attempt = 0; attempt < 2; attempt++) {
                    long start = System.nanoTime();
                    assertThrows(QdrantUnavailableException.class,
                            () -> collections.exists("user_memories"));
                    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertThat(elapsed, greaterThanOrEqualTo(TIMEOUT_MILLIS - 50));
                    assertThat(elapsed, lessThan(TIMEOUT_MILLIS + 3000));
                }
            } finally {
                silent.close();
                acceptor.join(1000);
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void nothingListeningIsUnavailableAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (QdrantConnection c = QdrantConnection.open(settings(port))) {
            QdrantPoints points = new QdrantPoints(c.client(), new PointIds(PointIdScheme.SIPHASH),
                    WriteOrdering.WEAK);
            long start = System.nanoTime();
            assertThrows(QdrantUnavailableException.class,
                    () -> points.count("user_memories", Filters.memoriesOfUser(1)));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), lessThan(TIMEOUT_MILLIS + 3000));
        }
    }
}
