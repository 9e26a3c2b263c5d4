package io.vectormemory.deployment;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Gateway API objects of every overlay need CRDs of a certain version: {@code kubectl apply} (strict field
 * validation) rejects a field the installed CRD does not know, and a rule with more matches than its schema
 * allows. The README and bin/deploy-check name the minimum standard-channel version; it must cover every field
 * used here. A field missing from the table below fails the test until someone looks up the Gateway API version
 * whose standard-channel CRD first has it (config/crd/standard in kubernetes-sigs/gateway-api).
 */
class GatewayApiVersionTest {
    private static final String V1_0 = "1.0.0";
    /** HTTPRoute rules[].timeouts; matches per rule from 8 up to 64 (at most 128 in a route). */
    private static final String V1_2 = "1.2.0";

    /** kind and field path ([] for list items) -> the first standard-channel release whose CRD has it. */
    private static final Map<String, String> SINCE = Map.ofEntries(
            Map.entry("Gateway spec.gatewayClassName", V1_0),
            Map.entry("Gateway spec.listeners[].name", V1_0),
            Map.entry("Gateway spec.listeners[].protocol", V1_0),
            Map.entry("Gateway spec.listeners[].port", V1_0),
            Map.entry("Gateway spec.listeners[].hostname", V1_0),
            Map.entry("Gateway spec.listeners[].tls.mode", V1_0),
            Map.entry("Gateway spec.listeners[].tls.certificateRefs[].kind", V1_0),
            Map.entry("Gateway spec.listeners[].tls.certificateRefs[].name", V1_0),
            Map.entry("Gateway spec.listeners[].allowedRoutes.namespaces.from", V1_0),
            Map.entry("HTTPRoute spec.parentRefs[].name", V1_0),
            Map.entry("HTTPRoute spec.parentRefs[].sectionName", V1_0),
            Map.entry("HTTPRoute spec.hostnames[]", V1_0),
            Map.entry("HTTPRoute spec.rules[].matches[].method", V1_0),
            Map.entry("HTTPRoute spec.rules[].matches[].path.type", V1_0),
            Map.entry("HTTPRoute spec.rules[].matches[].path.value", V1_0),
            Map.entry("HTTPRoute spec.rules[].filters[].type", V1_0),
            Map.entry("HTTPRoute spec.rules[].filters[].urlRewrite.hostname", V1_0),
            Map.entry("HTTPRoute spec.rules[].filters[].requestHeaderModifier.set[].name", V1_0),
            Map.entry("HTTPRoute spec.rules[].filters[].requestHeaderModifier.set[].value", V1_0),
            Map.entry("HTTPRoute spec.rules[].filters[].requestHeaderModifier.remove[]", V1_0),
            Map.entry("HTTPRoute spec.rules[].backendRefs[].group", V1_0),
            Map.entry("HTTPRoute spec.rules[].backendRefs[].kind", V1_0),
            Map.entry("HTTPRoute spec.rules[].backendRefs[].name", V1_0),
            Map.entry("HTTPRoute spec.rules[].backendRefs[].namespace", V1_0),
            Map.entry("HTTPRoute spec.rules[].backendRefs[].port", V1_0),
            Map.entry("HTTPRoute spec.rules[].timeouts.request", V1_2),
            Map.entry("ReferenceGrant spec.from[].group", V1_0),
            Map.entry("ReferenceGrant spec.from[].kind", V1_0),
            Map.entry("ReferenceGrant spec.from[].namespace", V1_0),
            Map.entry("ReferenceGrant spec.to[].group", V1_0),
            Map.entry("ReferenceGrant spec.to[].kind", V1_0),
            Map.entry("ReferenceGrant spec.to[].name", V1_0));

    @Test
    void theRequiredGatewayApiVersionCoversEveryFieldAndLimitUsed() throws IOException {
        String needed = V1_0;
        List<String> unknown = new ArrayList<>();
        Map<String, String> neededBy = new TreeMap<>();
        for (Deployment d : Deployment.all()) {
            for (Map<String, Object> o : d.objects()) {
                if (!Deployment.GATEWAY_GROUP.equals(Manifests.group(o))) {
                    continue;
                }
                List<String> paths = new ArrayList<>();
                fieldPaths(Manifests.map(o, "spec"), "spec", paths);
                for (String path : paths) {
                    String key = Manifests.kind(o) + " " + path;
                    String since = SINCE.get(key);
                    if (since == null) {
                        unknown.add(d + ": " + key);
                    } else if (compare(since, needed) > 0) {
                        needed = since;
                        neededBy.put(since, key);
                    }
                }
                if (Manifests.kind(o).equals("HTTPRoute")) {
                    List<Map<String, Object>> rules = Manifests.maps(o, "spec", "rules");
                    int total = 0;
                    for (Map<String, Object> rule : rules) {
                        int matches = Manifests.maps(rule, "matches").size();
                        total += matches;
                        assertTrue(matches <= 64, d + ": " + Manifests.label(o) + ": more than 64 matches in a rule");
                        if (matches > 8 && compare(V1_2, needed) > 0) {
                            needed = V1_2;
                            neededBy.put(V1_2, "more than 8 matches in a rule of " + Manifests.label(o));
                        }
                    }
                    assertTrue(rules.size() <= 16 && total <= 128, d + ": " + Manifests.label(o)
                            + ": at most 16 rules and 128 matches in all");
                }
            }
        }
        assertTrue(unknown.isEmpty(), "Gateway API fields without the version that introduced them (add them to SINCE):\n"
                + String.join("\n", unknown));
        String readme = Files.readString(Manifests.ROOT.resolve("README.md"));
        Matcher required = Pattern.compile("Gateway API[^.]*? standard channel v(\\d+\\.\\d+\\.\\d+) or newer").matcher(readme);
        assertTrue(required.find(), "README.md names no Gateway API version (\"Gateway API ... standard channel vX.Y.Z or newer\"); "
                + "the manifests need v" + needed + " (" + neededBy.get(needed) + ")");
        assertTrue(compare(required.group(1), needed) >= 0, "README.md asks for Gateway API v" + required.group(1)
                + ", the manifests need v" + needed + " (" + neededBy.get(needed) + ")");
        Matcher check = Pattern.compile("(?m)^GATEWAY_API_MIN = \\((\\d+), (\\d+), (\\d+)\\)")
                .matcher(Files.readString(Manifests.ROOT.resolve("bin/deploy-check")));
        assertTrue(check.find(), "bin/deploy-check: GATEWAY_API_MIN = (x, y, z)");
        assertEquals(required.group(1), check.group(1) + "." + check.group(2) + "." + check.group(3),
                "bin/deploy-check checks for another Gateway API version than README.md asks for");
    }

    /** Every leaf of a tree as a dotted path, "[]" for list items. */
    private static void fieldPaths(Object node, String path, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> fieldPaths(v, path + "." + k, out));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> fieldPaths(v, path + "[]", out));
        } else {
            out.add(path);
        }
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Test
    void fieldPathsAndVersionsCompare() {
        List<String> paths = new ArrayList<>();
        fieldPaths(Manifests.loadOne("{rules: [{matches: [{method: GET}]}, {timeouts: {request: 1s}}]}"), "spec", paths);
        assertEquals(List.of("spec.rules[].matches[].method", "spec.rules[].timeouts.request"), paths);
        assertTrue(compare("1.10.0", "1.2.0") > 0);
    }
}
