package io.vectormemory.embedded.store.lucene;

import io.vectormemory.embedded.model.Filter;
import io.vectormemory.embedded.model.Filter.Condition;
import io.vectormemory.embedded.model.PointId;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Translates a {@link Filter} into a Lucene query that matches exactly the points
 * {@link io.vectormemory.embedded.model.FilterMatcher} accepts. Conditions on indexed payload fields
 * (see {@link PayloadFields}) become term, term-set and point-range queries; any other condition
 * becomes a {@link PayloadConditionQuery} that evaluates it on the stored payload, so a filter is
 * never approximated.
 */
final class FilterQueries {

    private FilterQueries() {
    }

    /** The query of a filter; null (no filter) matches every point. */
    static Query of(Filter filter) {
        return filter == null ? new MatchAllDocsQuery() : filter(filter);
    }

    private static Query filter(Filter f) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        boolean positive = false;
        for (Condition c : f.must()) {
            b.add(condition(c), Occur.FILTER);
            positive = true;
        }
        if (!f.should().isEmpty()) {
            b.add(atLeast(f.should(), 1), Occur.FILTER);
            positive = true;
        }
        if (f.minShould() != null && f.minShould().minCount() > 0) {
            b.add(atLeast(f.minShould().conditions(), f.minShould().minCount()), Occur.FILTER);
            positive = true;
        }
        for (Condition c : f.mustNot()) {
            b.add(condition(c), Occur.MUST_NOT);
        }
        if (!positive) {
            b.add(new MatchAllDocsQuery(), Occur.FILTER);
        }
        return b.build();
    }

    private static Query atLeast(List<Condition> conditions, long count) {
        if (count > conditions.size()) {
            return new MatchNoDocsQuery("fewer conditions than min_should requires");
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Condition c : conditions) {
            b.add(condition(c), Occur.SHOULD);
        }
        return b.setMinimumNumberShouldMatch((int) count).build();
    }

    private static Query condition(Condition c) {
        return switch (c) {
            case Filter.Sub s -> filter(s.filter());
            case Filter.HasId h -> ids(h.ids());
            // every point has its single unnamed vector
            case Filter.HasVector hv -> hv.vectorName().isEmpty() ? new MatchAllDocsQuery() : new MatchNoDocsQuery();
            case Filter.IsNull n -> {
                String path = PayloadFields.path(n.key());
                yield path == null ? new PayloadConditionQuery(c) : new TermQuery(PayloadFields.term(path, PayloadFields.NULL));
            }
            case Filter.IsEmpty e -> {
                String path = PayloadFields.path(e.key());
                yield path == null ? new PayloadConditionQuery(c) : new BooleanQuery.Builder()
                        .add(new MatchAllDocsQuery(), Occur.FILTER)
                        .add(new TermQuery(PayloadFields.term(path, PayloadFields.NON_EMPTY)), Occur.MUST_NOT)
                        .build();
            }
            case Filter.Field f -> {
                Query q = field(f);
                yield q == null ? new PayloadConditionQuery(c) : q;
            }
            case Filter.NestedObjects n -> new PayloadConditionQuery(c);
        };
    }

    static Query ids(Set<PointId> ids) {
        if (ids.isEmpty()) {
            return new MatchNoDocsQuery("no ids");
        }
        List<BytesRef> terms = new ArrayList<>(ids.size());
        for (PointId id : ids) {
            terms.add(PointKeys.encode(id));
        }
        return new TermInSetQuery(PointDocuments.ID, terms);
    }

    /** A field condition with match and/or range only (either may accept a value); null when not translatable. */
    private static Query field(Filter.Field f) {
        if (f.datetimeRange() != null || f.valuesCount() != null || f.geoRadius() != null
                || f.geoBoundingBox() != null || f.isEmpty() != null || f.isNull() != null) {
            return null;
        }
        String path = PayloadFields.path(f.key());
        if (path == null) {
            return null;
        }
        Query match = null;
        if (f.match() != null) {
            match = match(path, f.match());
            if (match == null) {
                return null;
            }
        }
        Query range = f.range() == null ? null : range(path, f.range());
        if (match == null && range == null) {
            return new MatchNoDocsQuery("field condition without a condition");
        }
        if (match == null || range == null) {
            return match == null ? range : match;
        }
        return new BooleanQuery.Builder().add(match, Occur.SHOULD).add(range, Occur.SHOULD)
                .setMinimumNumberShouldMatch(1).build();
    }

    private static Query match(String path, Filter.Match m) {
        return switch (m) {
            case Filter.Keyword k -> k.value().length() > PayloadFields.MAX_KEYWORD_CHARS ? null
                    : new TermQuery(PayloadFields.keyword(path, k.value()));
            case Filter.IntegerValue i -> new TermQuery(PayloadFields.integer(path, i.value()));
            case Filter.Bool b -> new TermQuery(PayloadFields.bool(path, b.value()));
            case Filter.AnyKeyword a -> {
                List<BytesRef> terms = new ArrayList<>(a.values().size());
                for (String v : a.values()) {
                    if (v.length() > PayloadFields.MAX_KEYWORD_CHARS) {
                        yield null;
                    }
                    terms.add(PayloadFields.keyword(path, v).bytes());
                }
                yield terms.isEmpty() ? new MatchNoDocsQuery("no values") : new TermInSetQuery(PayloadFields.TERMS, terms);
            }
            case Filter.AnyInteger a -> {
                List<BytesRef> terms = new ArrayList<>(a.values().size());
                for (Long v : a.values()) {
                    terms.add(PayloadFields.integer(path, v).bytes());
                }
                yield terms.isEmpty() ? new MatchNoDocsQuery("no values") : new TermInSetQuery(PayloadFields.TERMS, terms);
            }
            // substring matches and except conditions are checked on the stored payload
            case Filter.Text t -> null;
            case Filter.Phrase p -> null;
            case Filter.TextAny t -> null;
            case Filter.ExceptKeyword e -> null;
            case Filter.ExceptInteger e -> null;
        };
    }

    /** Number range over integers and doubles alike, with Java's (IEEE) comparison semantics. */
    private static Query range(String path, Filter.NumberRange r) {
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        if (r.gte() != null) {
            if (r.gte().isNaN()) {
                return new MatchNoDocsQuery("NaN bound");
            }
            lo = Math.max(lo, PayloadFields.sortable(r.gte()));
        }
        if (r.gt() != null) {
            if (r.gt().isNaN() || r.gt() == Double.POSITIVE_INFINITY) {
                return new MatchNoDocsQuery("empty range");
            }
            lo = Math.max(lo, PayloadFields.sortable(r.gt()) + 1);
        }
        if (r.lte() != null) {
            if (r.lte().isNaN()) {
                return new MatchNoDocsQuery("NaN bound");
            }
            hi = Math.min(hi, PayloadFields.sortable(r.lte()));
        }
        if (r.lt() != null) {
            if (r.lt().isNaN() || r.lt() == Double.NEGATIVE_INFINITY) {
                return new MatchNoDocsQuery("empty range");
            }
            hi = Math.min(hi, PayloadFields.sortable(r.lt()) - 1);
        }
        if (lo > hi) {
            return new MatchNoDocsQuery("empty range");
        }
        long hash = PayloadFields.pathHash(path);
        return LongPoint.newRangeQuery(PayloadFields.NUMBERS, new long[]{hash, lo}, new long[]{hash, hi});
    }
}
