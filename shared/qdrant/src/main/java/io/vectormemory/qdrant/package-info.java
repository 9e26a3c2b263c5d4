/**
 * The Qdrant client module every function links, and nothing else: it knows Qdrant's protocol and the API's
 * collections, never HTTP. Its packages, bottom up:
 * <ul>
 * <li>{@link io.vectormemory.qdrant.settings}: the {@code QDRANT_*} settings;</li>
 * <li>{@link io.vectormemory.qdrant.connection}: the process's one channel to Qdrant;</li>
 * <li>{@link io.vectormemory.qdrant.calls}: awaiting calls under deadlines, and the module's own exceptions;</li>
 * <li>{@link io.vectormemory.qdrant.store}: collections, ids, filters, points, and the memory and document
 * stores the functions use ({@link io.vectormemory.qdrant.store.QdrantStores} builds them all).</li>
 * </ul>
 */
package io.vectormemory.qdrant;
