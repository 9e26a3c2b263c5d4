package io.vectormemory.embedded;

/** {@link PointsTest} against the persistent Lucene storage. */
@QdrantTestSupport.LuceneStorage
class LucenePointsTest extends PointsTest {
}
