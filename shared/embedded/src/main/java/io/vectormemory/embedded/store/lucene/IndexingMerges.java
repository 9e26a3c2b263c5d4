package io.vectormemory.embedded.store.lucene;

import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.MergeTrigger;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The merge policy plus Qdrant's indexing optimizer: a flushed segment (stored without HNSW links, see
 * {@link HnswCodec}) that holds at least as many live points as the indexing threshold is rewritten on its
 * own, in the background, which builds its graph. Without this, a segment that no tier merge picks up (for
 * instance one large load into an empty collection) would be searched exactly for good.
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
        if (graphPoints < 0) {
            return merges;
        }
        Set<SegmentCommitInfo> taken = new HashSet<>(context.getMergingSegments());
        if (merges != null) {
            merges.merges.forEach(m -> taken.addAll(m.segments));
        }
        for (SegmentCommitInfo segment : infos) {
            if (taken.contains(segment) || !"true".equals(segment.info.getAttribute(FLAT))) {
                continue;
            }
            long live = segment.info.maxDoc() - (long) context.numDeletesToMerge(segment);
            if (live >= graphPoints) {
                if (merges == null) {
                    merges = new MergeSpecification();
                }
                merges.add(new OneMerge(List.of(segment)));
            }
        }
        return merges;
    }
}
