/**
 * The upsert function: the API's writes (memories and document chunks). {@link io.vectormemory.upsert.Main#routing}
 * binds {@link io.vectormemory.upsert.MemoryWrites} and {@link io.vectormemory.upsert.DocumentWrites} to their routes
 * of the route table; the stores of {@code shared/qdrant} hold the collection policy.
 */
package io.vectormemory.upsert;
