package io.vectormemory.deployment;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Gateway API precedence that PublicUrlRoutingTest relies on, on small routes written for it. */
class GatewayRoutingTest {
    private static final GatewayRouting ROUTING = new GatewayRouting(Manifests.loadAll("""
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: r, namespace: n}
            spec:
              hostnames: [api.test]
              rules:
                - matches:
                    - {path: {type: PathPrefix, value: /}}
                - matches:
                    - {path: {type: PathPrefix, value: /a}}
                - matches:
                    - {method: GET, path: {type: PathPrefix, value: /a}}
                - matches:
                    - {path: {type: PathPrefix, value: /a/b/}}
                - matches:
                    - {method: POST, path: {type: Exact, value: /a/b}}
                - matches:
                    - {path: {type: RegularExpression, value: "/a/[0-9]+"}}
                - matches:
                    - {method: GET, path: {type: PathPrefix, value: /a}}
            """));

    private static int rule(String method, String path) {
        return ROUTING.route("api.test", method, path).map(GatewayRouting.Candidate::ruleIndex).orElse(-1);
    }

    @Test
    void exactBeatsAnyPrefix() {
        assertEquals(4, rule("POST", "/a/b"));
    }

    @Test
    void longerPrefixBeatsAShorterOneAndTrailingSlashIsIgnored() {
        assertEquals(3, rule("GET", "/a/b"));
        assertEquals(3, rule("DELETE", "/a/b/c"));
    }

    @Test
    void prefixMatchesWholePathElements() {
        assertEquals(0, rule("DELETE", "/ab"));
        assertEquals(1, rule("DELETE", "/a"));
    }

    @Test
    void methodMatchBreaksATieAndTheFirstRuleWinsTheRest() {
        assertEquals(2, rule("GET", "/a/x"));
        assertEquals(1, rule("PUT", "/a/x"));
    }

    @Test
    void regularExpressionRanksBelowPrefixes() {
        assertEquals(2, rule("GET", "/a/12"));
    }

    @Test
    void otherHostsAreNotRouted() {
        assertEquals(Optional.empty(), ROUTING.route("other.test", "GET", "/a"));
        assertTrue(GatewayRouting.hostFits("*.test", "api.test"));
    }

    @Test
    void jsonPatchAddsReplacesAndRemoves() {
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Manifests.loadOne("{a: {b~c: 1, 'x/y': 2}, l: [1, 2]}");
        JsonPatch.apply(doc, Map.of("op", "replace", "path", "/a/x~1y", "value", 3));
        JsonPatch.apply(doc, Map.of("op", "remove", "path", "/a/b~0c"));
        JsonPatch.apply(doc, Map.of("op", "add", "path", "/l/-", "value", 9));
        assertEquals(Map.of("a", Map.of("x/y", 3), "l", List.of(1, 2, 9)), doc);
    }
}
