package io.vectormemory.qdrant.calls;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Waits for one Qdrant call on the request's (virtual) thread, adds its time to the request's Qdrant time, and
 * turns gRPC failures into this module's exceptions: outage or timeout → {@link QdrantUnavailableException};
 * refused credentials → {@link QdrantCredentialsRefusedException} (a kind of it); Qdrant's "collection doesn't
 * exist" → {@link CollectionMissingException}; a cluster's passing states (any other NOT_FOUND,
 * FAILED_PRECONDITION, the transient INTERNAL answers) → {@link QdrantBusyException}; anything else →
 * {@link QdrantCallFailedException} (details only in the log).
 */
public final class QdrantCalls {
    private static final Logger LOG = Logger.getLogger(QdrantCalls.class.getName());
    private static final ThreadLocal<long[]> NANOS = ThreadLocal.withInitial(() -> new long[1]);

    private QdrantCalls() {
    }

    public static <T> T await(Future<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QdrantUnavailableException();
        } finally {
            NANOS.get()[0] += System.nanoTime() - start;
        }
    }

    /** Adds time spent waiting for a Qdrant call that was not awaited through {@link #await}. */
    public static void addTime(long nanos) {
        NANOS.get()[0] += nanos;
    }

    /** Starts a request's Qdrant time at zero. */
    public static void resetTime() {
        NANOS.get()[0] = 0;
    }

    /** Qdrant time spent by this thread since {@link #resetTime()}. */
    public static long timeNanos() {
        return NANOS.get()[0];
    }

    static RuntimeException translate(Throwable cause) {
        return translate(cause, true);
    }

    /** The module's exception for a failed call, not logged: for callers that report the cause themselves. */
    public static RuntimeException failure(Throwable cause) {
        return translate(cause, false);
    }

    private static RuntimeException translate(Throwable cause, boolean log) {
        if (cause instanceof StatusRuntimeException sre) {
            Status.Code code = sre.getStatus().getCode();
            switch (code) {
                case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, RESOURCE_EXHAUSTED, ABORTED -> {
                    LOG.fine(() -> "Qdrant unavailable: " + code);
                    return new QdrantUnavailableException();
                }
                case NOT_FOUND -> {
                    if (QdrantAnswers.collectionMissing(sre.getStatus().getDescription())) {
                        return new CollectionMissingException();
                    }
                    // A shard, a local replica or a peer's answer: the collection is there, part of it is not yet.
                    return busy(sre, log);
                }
                case FAILED_PRECONDITION -> {
                    // StorageError::PreconditionFailed and Locked: "system is not in the state to perform the
                    // operation" (lib/storage/src/content_manager/errors.rs), e.g. a shard still being created.
                    return busy(sre, log);
                }
                case INTERNAL -> {
                    if (QdrantAnswers.transientInternal(sre.getStatus().getDescription())) {
                        return busy(sre, log);
                    }
                    if (log) {
                        LOG.log(Level.WARNING, "Qdrant call failed: " + code + " " + sre.getStatus().getDescription());
                    }
                    return new QdrantCallFailedException();
                }
                case UNAUTHENTICATED, PERMISSION_DENIED -> {
                    if (log) {
                        LOG.severe("Qdrant refused our credentials (" + code + "): check QDRANT_API_KEY");
                    }
                    return new QdrantCredentialsRefusedException();
                }
                default -> {
                    if (log) {
                        LOG.log(Level.WARNING, "Qdrant call failed: " + code + " " + sre.getStatus().getDescription());
                    }
                    return new QdrantCallFailedException();
                }
            }
        }
        if (log) {
            LOG.log(Level.WARNING, "Qdrant call failed", cause);
        }
        return new QdrantUnavailableException();
    }

    private static QdrantBusyException busy(StatusRuntimeException sre, boolean log) {
        if (log) {
            LOG.warning(() -> "Qdrant cluster busy: " + sre.getStatus().getCode() + " "
                    + sre.getStatus().getDescription());
        }
        return new QdrantBusyException();
    }
}
