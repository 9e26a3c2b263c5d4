package io.vectormemory.embedded.store.lucene;

import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.FilterMatcher;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.List;

/**
 * A filter condition evaluated with {@link FilterMatcher} on each point's stored payload: the exact
 * fallback for conditions the payload fields cannot answer (substring text matches, except, nested
 * objects, datetime, geo, values count, deep or unusual keys). It is a two-phase query, so within a
 * conjunction only the points the indexed conditions let through are checked.
 */
final class PayloadConditionQuery extends Query {

    /** Decoding a payload is far more expensive than a postings lookup. */
    private static final float MATCH_COST = 1000f;

    private final Filter.Condition condition;
    private final Filter single;

    PayloadConditionQuery(Filter.Condition condition) {
        this.condition = condition;
        this.single = new Filter(List.of(condition), List.of(), List.of(), null);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        return new ConstantScoreWeight(this, boost) {
            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) {
                PointDocuments.LeafPoints points = new PointDocuments.LeafPoints(context.reader());
                DocIdSetIterator all = DocIdSetIterator.all(context.reader().maxDoc());
                TwoPhaseIterator twoPhase = new TwoPhaseIterator(all) {
                    @Override
                    public boolean matches() throws IOException {
                        int doc = approximation.docID();
                        return FilterMatcher.matches(single, points.id(doc), points.payload(doc), true);
                    }

                    @Override
                    public float matchCost() {
                        return MATCH_COST;
                    }
                };
                return new DefaultScorerSupplier(new ConstantScoreScorer(score(), scoreMode, twoPhase));
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return DocValues.isCacheable(ctx, PointDocuments.ID, PointDocuments.PAYLOAD);
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "payload(" + condition + ")";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && condition.equals(((PayloadConditionQuery) other).condition);
    }

    @Override
    public int hashCode() {
        return classHash() * 31 + condition.hashCode();
    }
}
