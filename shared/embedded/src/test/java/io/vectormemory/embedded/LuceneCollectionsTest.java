package io.vectormemory.embedded;

/** {@link CollectionsTest} against the persistent Lucene storage. */
@QdrantTestSupport.LuceneStorage
class LuceneCollectionsTest extends CollectionsTest {
}
