package io.vectormemory.qdrant.store;

import io.vectormemory.qdrant.calls.RequestDeadline;
import io.vectormemory.qdrant.connection.QdrantCaTrust;
import io.vectormemory.qdrant.connection.QdrantConnection;
import io.vectormemory.qdrant.settings.QdrantSettings;

import java.time.Duration;
import java.util.List;

/**
 * Everything a process keeps towards Qdrant, built once around its one connection: the memory and document
 * stores, the collection catalogue they share, the collection sizes, the health check and the per-request
 * deadline.
 */
public final class QdrantStores implements AutoCloseable {
    private final QdrantSettings settings;
    private final QdrantConnection connection;
    private final CollectionCatalog catalog;
    private final MemoryStore memories;
    private final DocumentStore documents;
    private final CollectionSizes sizes;
    private final QdrantHealth health;
    private final RequestDeadline deadline;

    private QdrantStores(QdrantSettings settings, QdrantConnection connection) {
        this.settings = settings;
        this.connection = connection;
        this.catalog = new CollectionCatalog(connection.client(), settings);
        QdrantPoints points = new QdrantPoints(connection.client(), new PointIds(settings.pointIdScheme()),
                settings.writeOrdering());
        this.memories = new MemoryStore(catalog, points);
        this.documents = new DocumentStore(catalog, points);
        Duration healthDeadline = Duration.ofMillis(settings.healthTimeoutMillis());
        this.sizes = new CollectionSizes(connection.client(), healthDeadline,
                List.of(settings.memoriesCollection(), settings.documentsCollection()));
        this.health = new QdrantHealth(connection, catalog, sizes, healthDeadline);
        this.deadline = new RequestDeadline(settings.requestBudgetMillis(), connection::reconnectSoon);
    }

    /** Trusts {@code QDRANT_CA_CERT} if set, then connects (without a round trip: Qdrant may still be starting). */
    public static QdrantStores open(QdrantSettings settings) {
        settings.caCert().ifPresent(QdrantCaTrust::install);
        return new QdrantStores(settings, QdrantConnection.open(settings));
    }

    public QdrantSettings settings() {
        return settings;
    }

    public QdrantConnection connection() {
        return connection;
    }

    public CollectionCatalog catalog() {
        return catalog;
    }

    public MemoryStore memories() {
        return memories;
    }

    public DocumentStore documents() {
        return documents;
    }

    public CollectionSizes sizes() {
        return sizes;
    }

    public QdrantHealth health() {
        return health;
    }

    public RequestDeadline deadline() {
        return deadline;
    }

    /** Vector size of both collection kinds. */
    public int dimension() {
        return settings.vectorDimension();
    }

    /** Startup work that must not delay the port: creating the default collections and repairing indexes. */
    public void bootstrapInBackground() {
        Thread.ofVirtual().name("collections-bootstrap").start(catalog::bootstrap);
    }

    /** Closes the connection; whoever calls Qdrant through these stores must have stopped first. */
    @Override
    public void close() {
        connection.close();
    }
}
