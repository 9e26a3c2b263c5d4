package io.vectormemory.embedded;

/** {@link SearchTest} against the persistent Lucene storage. */
@QdrantTestSupport.LuceneStorage
class LuceneSearchTest extends SearchTest {
}
