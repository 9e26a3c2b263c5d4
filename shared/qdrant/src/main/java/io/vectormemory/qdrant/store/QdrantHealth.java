package io.vectormemory.qdrant.store;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.vectormemory.qdrant.calls.CollectionMissingException;
import io.vectormemory.qdrant.calls.QdrantCalls;
import io.vectormemory.qdrant.calls.QdrantCredentialsRefusedException;
import io.vectormemory.qdrant.calls.QdrantUnavailableException;
import io.vectormemory.qdrant.connection.QdrantConnection;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether this process can serve: Qdrant answers, accepts our key, and has the two default collections (created
 * here if missing). Qdrant lets its health check through without a key, so the collection calls, which need it,
 * are what tells a wrong {@code QDRANT_API_KEY}. All three calls run in parallel under a short deadline of their own,
 * so an outage is reported within it, not after the general call timeout. Each change of state is logged once.
 */
public final class QdrantHealth {
    private static final Logger LOG = Logger.getLogger(QdrantHealth.class.getName());

    /** Why this process can or cannot serve, most fundamental cause first. */
    public enum State {
        /** Qdrant answers, accepts our key and has both default collections. */
        SERVING,
        /** Qdrant does not answer within the health deadline: waiting may fix it. */
        UNREACHABLE,
        /** Qdrant refuses {@code QDRANT_API_KEY}: an operator fixes it, not waiting. */
        CREDENTIALS_REFUSED,
        /** A default collection is missing and Qdrant refused to create it. */
        COLLECTIONS_MISSING,
        /** Qdrant answered the collection call with another error. */
        FAILING
    }

    /**
     * @param state    whether this process can serve, and if not why
     * @param memories the default memories collection, when Qdrant answered for it
     */
    public record Report(State state, Optional<CollectionInfo> memories) {
        public boolean serving() {
            return state == State.SERVING;
        }
    }

    private final QdrantConnection connection;
    private final CollectionCatalog catalog;
    private final CollectionSizes sizes;
    private final Duration deadline;
    private final AtomicReference<State> reported = new AtomicReference<>(State.SERVING);

    public QdrantHealth(QdrantConnection connection, CollectionCatalog catalog, CollectionSizes sizes,
                        Duration deadline) {
        this.connection = connection;
        this.catalog = catalog;
        this.sizes = sizes;
        this.deadline = deadline;
    }

    public Report check() {
        QdrantClient client = connection.client();
        Future<?> ping = client.healthCheckAsync(deadline);
        Future<CollectionInfo> memoriesCall = client.getCollectionInfoAsync(catalog.memories(), deadline);
        Future<CollectionInfo> documentsCall = client.getCollectionInfoAsync(catalog.documents(), deadline);
        Outcome<?> answered = await(ping);
        Outcome<CollectionInfo> memories = await(memoriesCall);
        Outcome<CollectionInfo> documents = await(documentsCall);
        Report report;
        if (answered.failure != null) {
            report = new Report(State.UNREACHABLE, Optional.empty());
        } else {
            State state = worst(stateOf(memories.failure), stateOf(documents.failure));
            if (state == State.COLLECTIONS_MISSING) {
                // Missing (deleted, or startup's creation failed): create now, as a write would; it fails only
                // when Qdrant refuses.
                state = worst(create(memories, CollectionKind.MEMORIES, catalog.memories()),
                        create(documents, CollectionKind.DOCUMENTS, catalog.documents()));
                if (memories.failure instanceof CollectionMissingException && state == State.SERVING) {
                    memories = await(client.getCollectionInfoAsync(catalog.memories(), deadline));
                    state = stateOf(memories.failure);
                }
            }
            report = new Report(state, Optional.ofNullable(memories.value));
        }
        if (report.state() == State.UNREACHABLE) {
            // Dial Qdrant again now rather than after the channel's backoff, so health turns green promptly.
            connection.reconnectSoon();
        }
        record(memories, catalog.memories());
        record(documents, catalog.documents());
        logChange(report.state());
        return report;
    }

    private State create(Outcome<CollectionInfo> outcome, CollectionKind kind, String name) {
        if (!(outcome.failure instanceof CollectionMissingException)) {
            return stateOf(outcome.failure);
        }
        catalog.forget(name);
        try {
            catalog.ensure(name, kind);
            return State.SERVING;
        } catch (RuntimeException e) {
            State state = stateOf(e);
            LOG.log(Level.FINE, "Creating collection " + name + " failed", e);
            return state == State.FAILING ? State.COLLECTIONS_MISSING : state;
        }
    }

    private static State stateOf(RuntimeException failure) {
        return switch (failure) {
            case null -> State.SERVING;
            case QdrantCredentialsRefusedException refused -> State.CREDENTIALS_REFUSED;
            case QdrantUnavailableException unavailable -> State.UNREACHABLE;
            case CollectionMissingException missing -> State.COLLECTIONS_MISSING;
            default -> State.FAILING;
        };
    }

    /** The state that says more about why the process cannot serve (the enum's order). */
    private static State worst(State a, State b) {
        if (a == State.SERVING) {
            return b;
        }
        return b == State.SERVING || a.ordinal() <= b.ordinal() ? a : b;
    }

    private void record(Outcome<CollectionInfo> outcome, String collection) {
        if (outcome.value != null) {
            sizes.record(collection, outcome.value.getPointsCount());
        }
    }

    private void logChange(State state) {
        State before = reported.getAndSet(state);
        if (before == state) {
            return;
        }
        switch (state) {
            case SERVING -> LOG.info("Qdrant health: serving again (was " + before.name().toLowerCase() + ")");
            case UNREACHABLE -> LOG.warning("Qdrant health: unreachable: no answer within HEALTH_TIMEOUT_MS ("
                    + deadline.toMillis() + " ms)");
            case CREDENTIALS_REFUSED -> LOG.severe("Qdrant health: credentials refused: Qdrant rejects the "
                    + "QDRANT_API_KEY this process sends (or none is set); fix the key, waiting does not help");
            case COLLECTIONS_MISSING -> LOG.severe("Qdrant health: collections missing: " + catalog.memories() + " or "
                    + catalog.documents() + " does not exist and Qdrant refused to create it");
            case FAILING -> LOG.severe("Qdrant health: failing: Qdrant answers the collection info calls with an "
                    + "error");
        }
    }

    private <T> Outcome<T> await(Future<T> call) {
        long start = System.nanoTime();
        try {
            return new Outcome<>(call.get(deadline.toMillis() + 100, TimeUnit.MILLISECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome<>(null, QdrantCalls.failure(e.getCause()));
        } catch (TimeoutException e) {
            call.cancel(true);
            return new Outcome<>(null, new QdrantUnavailableException());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome<>(null, new QdrantUnavailableException());
        } finally {
            QdrantCalls.addTime(System.nanoTime() - start);
        }
    }

    /** One call's answer or the module's exception for its failure. */
    private record Outcome<T>(T value, RuntimeException failure) {
    }
}
