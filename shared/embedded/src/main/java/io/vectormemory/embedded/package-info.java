/**
 * An embedded server for the Qdrant gRPC protocol: {@link io.vectormemory.embedded.EmbeddedQdrant}
 * in-process, {@link io.vectormemory.embedded.Main} standalone.
 *
 * <p>Layers: {@code grpc} (thin service classes and the API key interceptor) → {@code engine}
 * (Qdrant semantics, locking, group commit, checkpoints, recovery) → {@code store} (points: Lucene
 * indexes, or memory), with {@code model} holding the storage-independent pieces (point ids, key
 * paths, filters, payload operations, distances) and {@code journal} the write-ahead log.
 *
 * <p>Data directory layout: {@code .lock} (held while a server uses it), {@code journal/} (write-ahead
 * log segments), {@code collections/<name>-<LSN>/} (one Lucene index per collection).
 */
package io.vectormemory.embedded;
