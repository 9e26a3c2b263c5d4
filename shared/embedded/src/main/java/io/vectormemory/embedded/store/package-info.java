/**
 * Storage behind the engine: {@link io.vectormemory.embedded.store.CollectionStore} (the set of
 * collections) and {@link io.vectormemory.embedded.store.PointStore} (the points of one).
 *
 * <p>The engine ({@code io.vectormemory.embedded.engine.Engine}) owns all Qdrant semantics that
 * do not depend on how points are kept: validation, error messages, payload merging, operation
 * ids and locking. A store only keeps points, payload index definitions and the last operation
 * id, evaluates {@link io.vectormemory.embedded.model.Filter}s (see
 * {@link io.vectormemory.embedded.model.FilterMatcher} for the reference semantics) and ranks
 * vectors with the collection's {@link io.vectormemory.embedded.model.Distance}.
 *
 * <p>{@code memory.InMemoryCollectionStore} is exact and volatile; with a data directory the
 * engine journals every write so it can be rebuilt at start. A persistent store (e.g. on
 * Apache Lucene) makes each operation durable in {@link io.vectormemory.embedded.store.PointStore#commit(long)}
 * and reports it back through {@link io.vectormemory.embedded.store.PointStore#lastOperationId()};
 * the journal is then not needed.
 */
package io.vectormemory.embedded.store;
