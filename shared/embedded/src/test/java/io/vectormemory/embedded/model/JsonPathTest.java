package io.vectormemory.embedded.model;

import io.qdrant.client.grpc.JsonWithInt.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonPathTest {

    @Test
    void parsesQdrantSyntax() {
        JsonPath p = JsonPath.parse("foo[1][50].bar-baz[].\"qux[.]quux\"");
        assertEquals("foo", p.firstKey());
        assertEquals(List.of(new JsonPath.Index(1), new JsonPath.Index(50), new JsonPath.Key("bar-baz"),
                new JsonPath.Wildcard(), new JsonPath.Key("qux[.]quux")), p.rest());
        assertEquals("foo[1][50].bar-baz[].\"qux[.]quux\"", p.toString());
        assertEquals("über_1", JsonPath.parse("über_1").firstKey());
        for (String bad : List.of("", "a.", ".a", "a..b", "a[x]", "a[", "a b", "\"open")) {
            assertThrows(IllegalArgumentException.class, () -> JsonPath.parse(bad), bad);
        }
    }

    @Test
    void getsValuesLikeQdrant() {
        Map<String, Value> payload = Map.of(
                "a", value(Map.of("b", value(1))),
                "arr", list(List.of(value(Map.of("x", value("p"))), value(Map.of("x", value("q"))), value(3))),
                "plain", list(List.of(value(1), value(2))));
        assertEquals(List.of(value(1)), JsonPath.parse("a.b").get(payload));
        assertEquals(List.of(value("p"), value("q")), JsonPath.parse("arr[].x").get(payload));
        assertEquals(List.of(value("q")), JsonPath.parse("arr[1].x").get(payload));
        // a key step does not look into arrays
        assertEquals(List.of(), JsonPath.parse("arr.x").get(payload));
        // the value at the end of the path is returned as is
        assertEquals(List.of(payload.get("plain")), JsonPath.parse("plain").get(payload));
        assertEquals(List.of(), JsonPath.parse("missing.key").get(payload));
    }
}
