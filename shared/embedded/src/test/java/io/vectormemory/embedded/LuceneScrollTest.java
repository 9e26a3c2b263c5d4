package io.vectormemory.embedded;

/** {@link ScrollTest} against the persistent Lucene storage. */
@QdrantTestSupport.LuceneStorage
class LuceneScrollTest extends ScrollTest {
}
