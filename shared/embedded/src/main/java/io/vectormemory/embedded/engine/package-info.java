/**
 * The Qdrant semantics between the gRPC services and a
 * {@link io.vectormemory.embedded.store.CollectionStore}.
 *
 * <p>{@link io.vectormemory.embedded.engine.Engine} is what the services call: it keeps the
 * catalogue of collections (each a {@code CollectionHandle}: store, lock, operation ids, journal
 * position) and runs the write path (journal, apply, group commit); its documentation states the
 * locking and durability rules. Beside it, {@code PointReads} answers get, search, query, scroll and count,
 * {@code Checkpoints} makes the collections durable in a persistent store and shortens the journal,
 * and {@code JournalReplay} brings the collections up to date from the journal at open (and imports
 * a journal of the first release).
 *
 * <p>Request conversion and validation: {@code PointOps} (point updates), {@code Protos} (ids,
 * payload selectors, filters), {@code CollectionConfigs}, {@code FieldIndexes} and
 * {@code Validation}; {@link io.vectormemory.embedded.engine.ApiError} carries Qdrant's error
 * status and message.
 */
package io.vectormemory.embedded.engine;
