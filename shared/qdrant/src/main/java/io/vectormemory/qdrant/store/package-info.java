/**
 * The API's data in Qdrant: the collection catalogue and kinds, namespaces, point ids, filters and point operations,
 * and on top of them {@link io.vectormemory.qdrant.store.MemoryStore} and
 * {@link io.vectormemory.qdrant.store.DocumentStore}, which hold the collection policy in one place each.
 */
package io.vectormemory.qdrant.store;
