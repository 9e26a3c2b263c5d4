/**
 * The persistent store on Apache Lucene: {@link io.vectormemory.embedded.store.lucene.LuceneCollectionStore}
 * (a directory per collection), {@link io.vectormemory.embedded.store.lucene.LucenePointStore} (one index:
 * writer, near-real-time searcher, commits), {@code PointDocuments} and {@code PayloadFields} (what a
 * point's document holds), {@code FilterQueries} and {@code PayloadConditionQuery} (filters as exact
 * queries), {@code NearestPoints} and {@code ExactRanking} (planning exact vs HNSW search like Qdrant,
 * and Qdrant's exact scores).
 */
package io.vectormemory.embedded.store.lucene;
