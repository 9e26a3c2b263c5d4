/**
 * An embedded server for the Qdrant gRPC protocol: {@link io.vectormemory.embedded.EmbeddedQdrant}
 * in-process, {@link io.vectormemory.embedded.Main} standalone.
 *
 * <p>Layers: {@code grpc} (thin service classes and the API key interceptor) → {@code engine}
 * (Qdrant semantics, locking, journal) → {@code store} (points), with {@code model} holding the
 * storage-independent pieces (point ids, key paths, filters, payload operations, distances) and
 * {@code journal} the operation log.
 */
package io.vectormemory.embedded;
