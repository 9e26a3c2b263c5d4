package io.vectormemory.embedded;

import com.google.protobuf.Timestamp;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.DatetimeRange;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.MinShould;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.Common.ValuesCount;
import io.qdrant.client.grpc.Points.ScrollPoints;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.qdrant.client.ConditionFactory.datetimeRange;
import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.geoRadius;
import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.ConditionFactory.isEmpty;
import static io.qdrant.client.ConditionFactory.isNull;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchExceptKeywords;
import static io.qdrant.client.ConditionFactory.matchExceptValues;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.matchText;
import static io.qdrant.client.ConditionFactory.matchValues;
import static io.qdrant.client.ConditionFactory.nested;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.ConditionFactory.valuesCount;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FilterTest extends QdrantTestSupport {

    private static String c;

    @BeforeAll
    static void data() throws Exception {
        c = newCollection(2, Distance.Dot);
        await(client.upsertAsync(c, List.of(
                point(1, f(1, 0), Map.of(
                        "city", value("Berlin"), "n", value(1), "ok", value(true),
                        "tags", list(List.of(value("red"), value("blue"))),
                        "meta", value(Map.of("lang", value("de"), "level", value(3))),
                        "score", value(1.5),
                        "items", list(List.of(value(Map.of("name", value("a"), "qty", value(1))),
                                value(Map.of("name", value("b"), "qty", value(5))))),
                        "created", value("2024-01-15T10:00:00Z"))),
                point(2, f(1, 0), Map.of(
                        "city", value("London"), "n", value(2), "ok", value(false),
                        "tags", list(List.of(value("green"))),
                        "meta", value(Map.of("lang", value("en"), "level", value(1))),
                        "score", value(2.0),
                        "items", list(List.of(value(Map.of("name", value("a"), "qty", value(7))))),
                        "nul", nullValue(),
                        "created", value("2023-06-01"))),
                point(3, f(1, 0), Map.of(
                        "city", value("Berlin"), "n", value("3"), "ok", value("true"),
                        "tags", list(List.of()),
                        "meta", value(Map.of("lang", value("de"))))),
                point(4, f(1, 0), Map.of()),
                point(5, f(1, 0), Map.of(
                        "city", list(List.of(value("Paris"), value("Berlin"))), "n", value(5),
                        "loc", value(Map.of("lon", value(13.4), "lat", value(52.5))))))));
    }

    private static List<Long> matching(Filter filter) throws Exception {
        List<Long> ids = await(client.scrollAsync(ScrollPoints.newBuilder().setCollectionName(c)
                .setFilter(filter).setLimit(100).build())).getResultList().stream()
                .map(p -> p.getId().getNum()).toList();
        assertEquals((long) ids.size(), await(client.countAsync(c, filter, true)), "count agrees with scroll");
        return ids;
    }

    private static List<Long> must(Condition... conditions) throws Exception {
        return matching(Filter.newBuilder().addAllMust(List.of(conditions)).build());
    }

    @Test
    void keywordMatchIncludingArrays() throws Exception {
        assertEquals(List.of(1L, 3L, 5L), must(matchKeyword("city", "Berlin")));
        assertEquals(List.of(2L, 5L), must(matchKeywords("city", List.of("London", "Paris"))));
        assertEquals(List.of(1L), must(matchKeyword("tags", "red")));
    }

    @Test
    void integerAndBooleanMatchDoNotCrossTypes() throws Exception {
        assertEquals(List.of(1L), must(match("n", 1)));
        // "3" is a string: an integer match does not see it, a keyword match does
        assertEquals(List.of(), must(match("n", 3)));
        assertEquals(List.of(3L), must(matchKeyword("n", "3")));
        // 2.0 is a double: integer match does not match it, a range does
        assertEquals(List.of(), must(match("score", 2)));
        assertEquals(List.of(2L), must(range("score", Range.newBuilder().setGte(2).setLte(2).build())));
        assertEquals(List.of(1L), must(match("ok", true)));
        assertEquals(List.of(2L), must(match("ok", false)));
        assertEquals(List.of(1L, 2L), must(matchValues("n", List.of(1L, 2L))));
    }

    @Test
    void exceptMatches() throws Exception {
        // any value outside the list matches; a missing key does not
        assertEquals(List.of(2L, 5L), must(matchExceptKeywords("city", List.of("Berlin"))));
        assertEquals(List.of(2L, 3L, 5L), must(matchExceptValues("n", List.of(1L))));
    }

    @Test
    void ranges() throws Exception {
        assertEquals(List.of(2L, 5L), must(range("n", Range.newBuilder().setGte(2).build())));
        assertEquals(List.of(1L), must(range("score", Range.newBuilder().setGt(1.4).setLt(2.0).build())));
        assertEquals(List.of(1L), must(range("meta.level", Range.newBuilder().setGte(2).build())));
    }

    @Test
    void nestedKeysAndArrays() throws Exception {
        assertEquals(List.of(1L, 3L), must(matchKeyword("meta.lang", "de")));
        assertEquals(List.of(1L, 2L), must(matchKeyword("items[].name", "a")));
        // flat conditions on array elements may be met by different elements ...
        assertEquals(List.of(1L, 2L), must(matchKeyword("items[].name", "a"),
                range("items[].qty", Range.newBuilder().setGte(5).build())));
        // ... a nested condition needs one element meeting all of them
        assertEquals(List.of(2L), must(nested("items", Filter.newBuilder()
                .addMust(matchKeyword("name", "a"))
                .addMust(range("qty", Range.newBuilder().setGte(5).build())).build())));
    }

    @Test
    void booleanClauses() throws Exception {
        assertEquals(List.of(3L, 5L), matching(Filter.newBuilder()
                .addMust(matchKeyword("city", "Berlin")).addMustNot(match("ok", true)).build()));
        assertEquals(List.of(2L, 5L), matching(Filter.newBuilder()
                .addShould(matchKeyword("city", "London")).addShould(match("n", 5)).build()));
        assertEquals(List.of(1L, 5L), matching(Filter.newBuilder()
                .addMust(matchKeyword("city", "Berlin"))
                .addShould(match("n", 1)).addShould(match("n", 5)).build()));
        assertEquals(List.of(1L), matching(Filter.newBuilder().setMinShould(MinShould.newBuilder()
                .addConditions(matchKeyword("city", "Berlin")).addConditions(match("ok", true))
                .addConditions(match("n", 1)).setMinCount(2)).build()));
        assertEquals(List.of(2L, 5L), must(filter(Filter.newBuilder()
                .addShould(matchKeyword("city", "London")).addShould(match("n", 5)).build())));
        // empty filters and empty conditions do not constrain (qdrant PR #5690)
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), matching(Filter.getDefaultInstance()));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), must(Condition.getDefaultInstance()));
    }

    @Test
    void hasIdConditions() throws Exception {
        assertEquals(List.of(2L, 4L), must(io.qdrant.client.ConditionFactory.hasId(List.of(id(4), id(2), id(9)))));
        assertEquals(List.of(2L, 3L, 4L, 5L), matching(Filter.newBuilder().addMustNot(hasId(id(1))).build()));
    }

    @Test
    void emptinessAndNull() throws Exception {
        assertEquals(List.of(3L, 4L, 5L), must(isEmpty("tags")));
        assertEquals(List.of(2L), must(isNull("nul")));
        assertEquals(List.of(1L), must(valuesCount("tags", ValuesCount.newBuilder().setGte(2).build())));
    }

    @Test
    void textDatetimeAndGeo() throws Exception {
        assertEquals(List.of(1L, 3L, 5L), must(matchText("city", "erl")));
        assertEquals(List.of(2L, 5L), must(io.qdrant.client.ConditionFactory.matchTextAny("city", "Lond  Par")));
        assertEquals(List.of(), must(io.qdrant.client.ConditionFactory.matchPhrase("city", "Lond Par")));
        assertEquals(List.of(2L), must(io.qdrant.client.ConditionFactory.matchPhrase("city", "ondo")));
        assertEquals(List.of(1L), must(datetimeRange("created", DatetimeRange.newBuilder()
                .setGte(Timestamp.newBuilder().setSeconds(Instant.parse("2024-01-01T00:00:00Z").getEpochSecond()))
                .build())));
        assertEquals(List.of(2L), must(datetimeRange("created", DatetimeRange.newBuilder()
                .setLt(Timestamp.newBuilder().setSeconds(Instant.parse("2023-06-01T00:00:01Z").getEpochSecond()))
                .build())));
        assertEquals(List.of(5L), must(geoRadius("loc", 52.5001, 13.4001, 1000f)));
        assertEquals(List.of(), must(geoRadius("loc", 48.85, 2.35, 1000f)));
    }
}
