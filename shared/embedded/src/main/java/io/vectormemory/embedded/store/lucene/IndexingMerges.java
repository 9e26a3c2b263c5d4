package io.vectormemory.embedded.store.lucene;

import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;

import java.io.IOException;
import java.util.List;

/**
 * The merge policy plus Qdrant's indexing optimizer: a flushed segment (stored without HNSW links, see
 * {@link HnswCodec}) that holds at least as many live points as the indexing threshold is rewritten on its
 * own, in the background, which builds its graph; the largest first, when no other merge runs. Without
 * this, a segment that no tier merge picks up (for instance one large load into an empty collection) would
 * be searched exactly for good.
 */
final class IndexingMerges extends FilterMergePolicy {

    /** Segment attribute set on flushed segments: no graph yet. */
    static final String FLAT = "vectormemory.flat";

    private final long graphPoints;

    /** @param graphPoints smallest segment that gets a graph ({@link HnswCodec#graphPoints}), -1 for never */
    IndexingMerges(MergePolicy in, long graphPoints) {
        super(in);
        this.graphPoints = graphPoints;
    }

    @Override
    public MergeSpecification findMerges(MergeTrigger trigger, SegmentInfos infos, MergeContext context)
            throws IOException {
        MergeSpecification merges = super.findMerges(trigger, infos, context);
        // like Qdrant's optimizer, one job at a time and only while nothing else merges: graph building takes
        // the CPU that searches and writes leave, and a write never waits for it
        if (graphPoints < 0 || merges != null || !context.getMergingSegments().isEmpty()) {
            return merges;
        }
        SegmentCommitInfo largest = null;
        long largestLive = 0;
        for (SegmentCommitInfo segment : infos) {
            if (!"true".equals(segment.info.getAttribute(FLAT))) {
                continue;
            }
            long live = segment.info.maxDoc() - (long) context.numDeletesToMerge(segment);
            if (live >= graphPoints && live > largestLive) {
                largest = segment;
                largestLive = live;
            }
        }
        if (largest == null) {
            return null;
        }
        MergeSpecification optimize = new MergeSpecification();
        optimize.add(new OneMerge(List.of(largest)));
        return optimize;
    }
}
