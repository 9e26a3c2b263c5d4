package io.vectormemory.embedded.model;

import io.qdrant.client.grpc.JsonWithInt.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PayloadsTest {

    @Test
    void setByKeyCreatesObjectsAndMerges() {
        Map<String, Value> payload = Map.of("a", value(Map.of("keep", value(1))), "s", value("scalar"));
        assertEquals(Map.of("a", value(Map.of("keep", value(1), "x", value(2))), "s", value("scalar")),
                Payloads.setByKey(payload, JsonPath.parse("a"), Map.of("x", value(2))));
        assertEquals(Map.of("a", value(Map.of("keep", value(1))), "s", value(Map.of("x", value(2)))),
                Payloads.setByKey(payload, JsonPath.parse("s"), Map.of("x", value(2))));
        assertEquals(Map.of("a", value(Map.of("keep", value(1))), "s", value("scalar"),
                        "new", value(Map.of("deep", value(Map.of("x", value(2)))))),
                Payloads.setByKey(payload, JsonPath.parse("new.deep"), Map.of("x", value(2))));
    }

    @Test
    void removeFollowsPaths() {
        Map<String, Value> payload = Map.of("a", value(Map.of("b", value(1), "c", value(2))),
                "arr", list(List.of(value(Map.of("x", value(1), "y", value(2))))));
        assertEquals(Map.of("a", value(Map.of("c", value(2))), "arr", payload.get("arr")),
                Payloads.remove(payload, JsonPath.parse("a.b")));
        assertEquals(Map.of("a", payload.get("a"), "arr", list(List.of(value(Map.of("y", value(2)))))),
                Payloads.remove(payload, JsonPath.parse("arr[].x")));
        assertEquals(payload, Payloads.remove(payload, JsonPath.parse("arr[0]")));
        assertEquals(Map.of("arr", payload.get("arr")), Payloads.remove(payload, JsonPath.parse("a")));
    }

    @Test
    void mergeRemovesNulls() {
        assertEquals(Map.of("b", value(3)), Payloads.merge(Map.of("a", value(1), "b", value(2)),
                Map.of("a", nullValue(), "b", value(3))));
    }

    @Test
    void canonicalRejectsNonFiniteNumbers() {
        assertEquals(Map.of("x", Payloads.NULL), Payloads.canonical(Map.of("x", Value.getDefaultInstance())));
        assertThrows(IllegalArgumentException.class, () -> Payloads.canonical(Map.of("x", value(Double.NaN))));
    }
}
