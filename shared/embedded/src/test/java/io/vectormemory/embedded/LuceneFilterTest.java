package io.vectormemory.embedded;

/** {@link FilterTest} against the persistent Lucene storage. */
@QdrantTestSupport.LuceneStorage
class LuceneFilterTest extends FilterTest {
}
