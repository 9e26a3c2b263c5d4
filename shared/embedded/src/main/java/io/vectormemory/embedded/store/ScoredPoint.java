package io.vectormemory.embedded.store;

/**
 * A search hit.
 *
 * @param point the point
 * @param score the client-visible score (post-processed: a distance for Euclid/Manhattan)
 */
public record ScoredPoint(StoredPoint point, float score) {
}
