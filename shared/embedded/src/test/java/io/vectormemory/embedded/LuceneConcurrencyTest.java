package io.vectormemory.embedded;

/** {@link ConcurrencyTest} against the persistent Lucene storage. */
@QdrantTestSupport.LuceneStorage
class LuceneConcurrencyTest extends ConcurrencyTest {
}
