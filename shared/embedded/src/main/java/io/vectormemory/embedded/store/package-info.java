/**
 * Storage behind the engine: {@link io.vectormemory.embedded.store.CollectionStore} (the set of
 * collections) and {@link io.vectormemory.embedded.store.PointStore} (the points of one).
 *
 * <p>The engine ({@code io.vectormemory.embedded.engine}) owns all Qdrant semantics that
 * do not depend on how points are kept: validation, error messages, payload merging, operation
 * ids, locking, and the journal. A store keeps points, payload index definitions and the last
 * operation id, evaluates {@link io.vectormemory.embedded.model.Filter}s exactly as
 * {@link io.vectormemory.embedded.model.FilterMatcher} does, and ranks vectors with the collection's
 * {@link io.vectormemory.embedded.model.Distance}, reporting exact scores.
 *
 * <p>Implementations:
 * <ul>
 *   <li>{@code memory.InMemoryCollectionStore}: exact brute force, volatile; the reference the
 *       persistent store is checked against (the congruence tests).</li>
 *   <li>{@code lucene.LuceneCollectionStore}: one Lucene index per collection (HNSW vectors, payload
 *       filter fields, commits). Durable at each checkpoint
 *       ({@link io.vectormemory.embedded.store.PointStore#checkpoint(long)}), which records exactly which
 *       operations the commit contains; after a restart
 *       {@link io.vectormemory.embedded.store.PointStore#durablePosition()} and
 *       {@link io.vectormemory.embedded.store.PointStore#containedOperations(long)} tell the engine which
 *       journal records (and operations) to replay.</li>
 * </ul>
 */
package io.vectormemory.embedded.store;
