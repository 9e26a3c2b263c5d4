package io.vectormemory.deployment;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one public URL against the route table in code (Route.java), in every overlay: a concrete path of every
 * route reaches the function that serves it; every other method and path gets the answer the route table gives
 * (a JSON 404, or a 405 with Allow), from a function, never from the gateway itself; the probes and /metrics are
 * never served; the route is attached to the Gateway over TLS and may reach its backends; cert-manager's
 * HTTP-01 challenge can reach the Gateway on port 80.
 */
class PublicUrlRoutingTest {
    private static final String MEMORY_ID = "mem_42_1001";
    /** Set by the lowest-precedence rule only: the function answers from the route table, never a handler. */
    static final String UNMATCHED_HEADER = "x-vector-memory-unmatched";
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Paths no template fits, or fits only in part, besides the sample paths of every template. */
    private static final List<String> OTHER_PATHS = List.of("/", "/nope", "/memoriesx", "/memories/", "/memories/a/b/c",
            "/memories//x", "/documents/stats", "/documents/stats/42/x", "/collection", "/collection/info/x",
            "/api-docs", "/health/x", "/livez/x", "/metrics/x", "/readyz/", "//");

    static List<Deployment> deployments() {
        return Deployment.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void everyRouteReachesItsFunction(Deployment d) {
        GatewayRouting routing = new GatewayRouting(d.httpRoutes());
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Route route : Route.values()) {
            List<String> samples = samplePaths(route);
            assertFalse(samples.isEmpty(), "no sample path for " + route.label());
            List<String> methods = route.method().text().equals("GET") ? List.of("GET", "HEAD") : List.of(route.method().text());
            for (String host : publicHosts(d)) {
                for (String method : methods) {
                    for (String path : samples) {
                        checked++;
                        Optional<GatewayRouting.Candidate> taken = routing.route(host, method, path);
                        if (taken.isEmpty()) {
                            failures.add(route.label() + ": " + method + " https://" + host + path + " is not routed");
                            continue;
                        }
                        ApiFunction backend = backendFunction(d, taken.get());
                        if (backend != route.function()) {
                            failures.add(route.label() + ": " + method + " " + path + " goes to " + backend
                                    + ", the route table says " + route.function());
                        } else if (setsUnmatchedHeader(taken.get().rule())) {
                            failures.add(route.label() + ": " + method + " " + path + " takes the fallback rule, "
                                    + "whose function answers from the table and runs no handler");
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), d + ":\n" + String.join("\n", failures));
        assertTrue(checked > Route.values().length, "checked " + checked + " requests");
    }

    /** A function answers its probes and /metrics itself unless the fallback's header tells it not to. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void probesAndMetricsAreNotPublic(Deployment d) {
        GatewayRouting routing = new GatewayRouting(d.httpRoutes());
        for (String host : publicHosts(d)) {
            for (String path : Route.INFRA_PATHS) {
                for (String method : METHODS) {
                    Optional<GatewayRouting.Candidate> taken = routing.route(host, method, path);
                    assertTrue(taken.isEmpty() || setsUnmatchedHeader(taken.get().rule()),
                            d + ": " + method + " " + path + " reaches a function without " + UNMATCHED_HEADER
                                    + ": the function would serve it");
                }
            }
        }
    }

    /**
     * Every method on every path the table knows in part or not at all: the rule the gateway picks leads to a
     * function that gives the route table's answer. Without the fallback's header that is the function's own
     * answer (TableAnswer with only its routes), which must equal the table's; with it, the function answers
     * from the whole table, so the request must not be one of the table's routes. Nothing is left to the
     * gateway's own 404, which is not the API's JSON.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void everyRequestGetsTheRouteTablesAnswer(Deployment d) {
        GatewayRouting routing = new GatewayRouting(d.httpRoutes());
        Set<String> paths = new LinkedHashSet<>();
        for (Route r : Route.values()) {
            paths.addAll(expansions(r));
        }
        paths.addAll(OTHER_PATHS);
        paths.addAll(Route.INFRA_PATHS);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String host : publicHosts(d)) {
            for (String method : METHODS) {
                for (String path : paths) {
                    checked++;
                    TableAnswer expected = TableAnswer.of(TableAnswer.ALL, method, path);
                    Optional<GatewayRouting.Candidate> taken = routing.route(host, method, path);
                    if (taken.isEmpty()) {
                        failures.add(method + " " + path + ": no rule, the gateway answers itself; the table says " + expected);
                        continue;
                    }
                    ApiFunction backend = backendFunction(d, taken.get());
                    if (setsUnmatchedHeader(taken.get().rule())) {
                        if (expected.kind() == TableAnswer.Kind.ROUTE) {
                            failures.add(method + " " + path + " is " + expected + " but takes the fallback rule");
                        }
                    } else {
                        TableAnswer actual = TableAnswer.of(EnumSet.of(backend), method, path);
                        if (!actual.equals(expected)) {
                            failures.add(method + " " + path + " goes to " + backend.id() + ", which answers " + actual
                                    + "; the table says " + expected);
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), d + ": " + failures.size() + " of " + checked + " requests:\n" + String.join("\n", failures));
    }

    /** The header means "answer from the table": only the gateway's fallback rule may send it, set to 1. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void onlyTheFallbackRuleSendsTheUnmatchedHeader(Deployment d) {
        int fallbacks = 0;
        for (Map<String, Object> route : d.httpRoutes()) {
            List<Map<String, Object>> rules = Manifests.maps(route, "spec", "rules");
            for (int i = 0; i < rules.size(); i++) {
                Map<String, Object> rule = rules.get(i);
                String where = d + ": rule " + i + " of " + Manifests.label(route);
                if (setsUnmatchedHeader(rule)) {
                    fallbacks++;
                    assertEquals(ApiFunction.HEALTH, backendFunction(d, new GatewayRouting.Candidate(route, i, rule, Map.of())),
                            where + ": the fallback goes to the health function (small, and no Qdrant call)");
                    assertTrue(Manifests.maps(rule, "matches").stream().anyMatch(m -> !m.containsKey("method")
                                    && "PathPrefix".equals(Manifests.string(m, "path", "type")) && "/".equals(Manifests.string(m, "path", "value"))),
                            where + ": the fallback matches every path (PathPrefix /, any method)");
                } else {
                    assertTrue(headerModifier(rule, "remove").stream().anyMatch(UNMATCHED_HEADER::equalsIgnoreCase),
                            where + ": removes " + UNMATCHED_HEADER + ", so that a client cannot send it");
                }
            }
        }
        assertEquals(1, fallbacks, d + ": one fallback rule");
    }

    /**
     * cert-manager's HTTP-01 solver attaches its own HTTPRoute, in the Certificate's namespace (the Gateway's),
     * to the Gateway, and the ACME server fetches the challenge over plain HTTP on port 80: every host of the
     * HTTPS listeners needs a port-80 HTTP listener that admits routes from that namespace. None of our own
     * routes may attach to it: the API is never served in cleartext.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void acmeHttp01ChallengesReachTheGatewayOnPort80(Deployment d) {
        for (Map<String, Object> gateway : Manifests.ofKind(d.objects(), Deployment.GATEWAY_GROUP, "Gateway")) {
            List<Map<String, Object>> listeners = Manifests.maps(gateway, "spec", "listeners");
            for (Map<String, Object> https : listeners.stream().filter(l -> "HTTPS".equals(l.get("protocol"))).toList()) {
                String host = Manifests.string(https, "hostname");
                Map<String, Object> http = listeners.stream()
                        .filter(l -> "HTTP".equals(l.get("protocol")) && Integer.valueOf(80).equals(l.get("port"))
                                && Objects.equals(host, Manifests.string(l, "hostname")))
                        .findFirst().orElseThrow(() -> new AssertionError(d + ": " + Manifests.label(gateway)
                                + " has no HTTP listener on port 80 for " + host + ": an HTTP-01 challenge never passes"));
                String from = Objects.requireNonNullElse(Manifests.string(http, "allowedRoutes", "namespaces", "from"), "Same");
                assertTrue(from.equals("Same") || from.equals("All"), d + ": listener " + http.get("name")
                        + " must admit routes from the Gateway's namespace, where cert-manager creates the solver's route");
                for (Map<String, Object> route : d.httpRoutes()) {
                    for (Map<String, Object> parent : Manifests.maps(route, "spec", "parentRefs")) {
                        assertTrue(Manifests.string(parent, "sectionName") != null
                                        && !Manifests.string(parent, "sectionName").equals(http.get("name")),
                                d + ": " + Manifests.label(route) + " attaches to the plain HTTP listener (name its sectionName)");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void routesAttachToAnHttpsListenerOfTheirGateway(Deployment d) {
        assertFalse(d.httpRoutes().isEmpty(), d + ": no HTTPRoute");
        for (Map<String, Object> route : d.httpRoutes()) {
            for (Map<String, Object> parent : Manifests.maps(route, "spec", "parentRefs")) {
                String ns = Objects.requireNonNullElse(Manifests.string(parent, "namespace"), Manifests.namespace(route));
                Map<String, Object> gateway = d.find(Deployment.GATEWAY_GROUP, "Gateway", ns, Manifests.string(parent, "name"))
                        .orElseThrow(() -> new AssertionError(d + ": " + Manifests.label(route) + " refers to a Gateway "
                                + ns + "/" + parent.get("name") + " that this overlay does not create"));
                String section = Manifests.string(parent, "sectionName");
                List<Map<String, Object>> listeners = Manifests.maps(gateway, "spec", "listeners").stream()
                        .filter(l -> section == null || section.equals(l.get("name"))).toList();
                assertFalse(listeners.isEmpty(), d + ": no listener " + section + " on " + Manifests.label(gateway));
                for (Map<String, Object> listener : listeners) {
                    assertEquals("HTTPS", listener.get("protocol"), d + ": the public API is served over TLS only");
                    assertFalse(Manifests.maps(listener, "tls", "certificateRefs").isEmpty(), d + ": listener without a certificate");
                    String listenerHost = Manifests.string(listener, "hostname");
                    for (Object h : (List<?>) Manifests.at(route, "spec", "hostnames").orElse(List.of())) {
                        assertTrue(listenerHost == null || GatewayRouting.hostFits(listenerHost, h.toString()),
                                d + ": route host " + h + " is not served by listener host " + listenerHost);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void everyRuleReachesAKnativeServiceAndWaitsAsLongAsIt(Deployment d) {
        for (Map<String, Object> route : d.httpRoutes()) {
            List<Map<String, Object>> rules = Manifests.maps(route, "spec", "rules");
            for (int i = 0; i < rules.size(); i++) {
                GatewayRouting.Candidate c = new GatewayRouting.Candidate(route, i, rules.get(i), Map.of());
                Map<String, Object> service = backendService(d, c);
                String timeout = Manifests.string(rules.get(i), "timeouts", "request");
                Object serviceTimeout = Manifests.at(service, "spec", "template", "spec", "timeoutSeconds").orElse(300);
                if (timeout != null) {
                    assertTrue(duration(timeout).toSeconds() >= ((Number) serviceTimeout).longValue(), d + ": rule " + i
                            + " of " + Manifests.label(route) + " times out after " + timeout + ", before "
                            + Manifests.name(service) + " (timeoutSeconds " + serviceTimeout + ")");
                }
            }
        }
    }

    /** The function behind the rule a request took. */
    static ApiFunction backendFunction(Deployment d, GatewayRouting.Candidate c) {
        Map<String, Object> service = backendService(d, c);
        return d.functionOf(service).orElseThrow(() -> new AssertionError(
                d + ": Knative Service " + Manifests.name(service) + " has no app.kubernetes.io/component of a function"));
    }

    /**
     * The Knative Service behind a rule: the cluster-local host its URLRewrite filter sets (the rule then goes
     * through Knative's local gateway), or else a backendRef naming the Knative Service itself. Every
     * cross-namespace backendRef needs a ReferenceGrant.
     */
    static Map<String, Object> backendService(Deployment d, GatewayRouting.Candidate c) {
        String routeNs = Manifests.namespace(c.route());
        String where = d + ": rule " + c.ruleIndex() + " of " + Manifests.label(c.route());
        List<Map<String, Object>> refs = Manifests.maps(c.rule(), "backendRefs");
        assertFalse(refs.isEmpty(), where + " has no backendRefs");
        for (Map<String, Object> ref : refs) {
            String ns = Objects.requireNonNullElse(Manifests.string(ref, "namespace"), routeNs);
            if (!ns.equals(routeNs)) {
                assertTrue(referenceGranted(d, routeNs, ns, Manifests.string(ref, "name")),
                        where + ": no ReferenceGrant in " + ns + " lets HTTPRoutes of " + routeNs + " use Service " + ref.get("name"));
            }
        }
        Optional<String> rewrite = Manifests.maps(c.rule(), "filters").stream()
                .filter(f -> "URLRewrite".equals(f.get("type")))
                .map(f -> Manifests.string(f, "urlRewrite", "hostname")).filter(Objects::nonNull).findFirst();
        String name;
        String ns;
        if (rewrite.isPresent()) {
            String[] labels = rewrite.get().split("\\.");
            assertTrue(labels.length >= 2 && rewrite.get().matches("[a-z0-9-]+\\.[a-z0-9-]+(\\.svc(\\.cluster\\.local)?)?"),
                    where + ": URLRewrite host " + rewrite.get() + " is not a cluster-local Knative host <service>.<namespace>.svc.cluster.local");
            name = labels[0];
            ns = labels[1];
        } else {
            assertEquals(1, refs.size(), where + ": without a host rewrite, exactly one backendRef");
            name = Manifests.string(refs.getFirst(), "name");
            ns = Objects.requireNonNullElse(Manifests.string(refs.getFirst(), "namespace"), routeNs);
        }
        String n = name;
        String s = ns;
        return d.find(Deployment.KNATIVE_GROUP, "Service", ns, name)
                .orElseThrow(() -> new AssertionError(where + " goes to " + n + "." + s
                        + ", which is no Knative Service of this overlay"));
    }

    private static boolean referenceGranted(Deployment d, String fromNs, String toNs, String service) {
        return Manifests.ofKind(d.objects(), Deployment.GATEWAY_GROUP, "ReferenceGrant").stream()
                .filter(g -> toNs.equals(Manifests.namespace(g)))
                .anyMatch(g -> Manifests.maps(g, "spec", "from").stream().anyMatch(f -> "HTTPRoute".equals(f.get("kind"))
                        && fromNs.equals(f.get("namespace")) && Deployment.GATEWAY_GROUP.equals(f.get("group")))
                        && Manifests.maps(g, "spec", "to").stream().anyMatch(t -> "Service".equals(t.get("kind"))
                        && "".equals(Objects.toString(t.get("group"), "")) && (t.get("name") == null || service.equals(t.get("name")))));
    }

    private static Set<String> publicHosts(Deployment d) {
        Set<String> hosts = new LinkedHashSet<>();
        for (Map<String, Object> route : d.httpRoutes()) {
            ((List<?>) Manifests.at(route, "spec", "hostnames").orElse(List.of("vector-memory.test"))).forEach(h -> hosts.add(h.toString()));
        }
        return hosts;
    }

    /**
     * Concrete paths of a route: its template with sample values, including values that equal a static segment
     * of another template (an id "search" or "user"), kept only where the route table itself resolves the path
     * and method to this route.
     */
    static List<String> samplePaths(Route route) {
        return expansions(route).stream()
                .filter(p -> TableAnswer.of(TableAnswer.ALL, route.method().text(), p).route() == route).toList();
    }

    /** A route's template with every sample value in every parameter. */
    static List<String> expansions(Route route) {
        Set<String> words = new LinkedHashSet<>(List.of(MEMORY_ID, "doc_42_77_0", "42", "a%2Fb", "0"));
        for (Route r : Route.values()) {
            for (String segment : r.template().substring(1).split("/")) {
                if (!segment.startsWith("{")) {
                    words.add(segment);
                }
            }
        }
        List<String> paths = new ArrayList<>(List.of(""));
        for (String segment : route.template().substring(1).split("/")) {
            List<String> next = new ArrayList<>();
            for (String prefix : paths) {
                if (segment.startsWith("{")) {
                    words.forEach(w -> next.add(prefix + "/" + w));
                } else {
                    next.add(prefix + "/" + segment);
                }
            }
            paths = next;
        }
        return paths;
    }

    /** Whether a rule sets the fallback's header (RequestHeaderModifier set or add) to 1. */
    static boolean setsUnmatchedHeader(Map<String, Object> rule) {
        for (Map<String, Object> f : Manifests.maps(rule, "filters")) {
            if ("RequestHeaderModifier".equals(f.get("type"))) {
                for (String op : List.of("set", "add")) {
                    for (Map<String, Object> h : Manifests.maps(f, "requestHeaderModifier", op)) {
                        if (UNMATCHED_HEADER.equalsIgnoreCase(Manifests.string(h, "name")) && "1".equals(Manifests.string(h, "value"))) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The header names a rule's RequestHeaderModifier filters remove. */
    static List<String> headerModifier(Map<String, Object> rule, String op) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> f : Manifests.maps(rule, "filters")) {
            if ("RequestHeaderModifier".equals(f.get("type"))) {
                Manifests.at(f, "requestHeaderModifier", op).filter(List.class::isInstance)
                        .ifPresent(l -> ((List<?>) l).forEach(h -> out.add(h.toString())));
            }
        }
        return out;
    }

    /** A Gateway API duration: up to four number+unit pairs, units h, m, s, ms ("1h30m", "500ms"). */
    static Duration duration(String gatewayDuration) {
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|h|m|s)").matcher(gatewayDuration);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        assertEquals(gatewayDuration.length(), end, "not a Gateway API duration: " + gatewayDuration);
        return total;
    }

    @Test
    void samplePathsFollowTheRouteTable() {
        assertTrue(samplePaths(Route.MEMORY_GET).contains("/memories/" + MEMORY_ID));
        // "search" as a memory id is shadowed by POST /memories/search: not a sample of GET /memories/{point_id}.
        assertFalse(samplePaths(Route.MEMORY_GET).contains("/memories/search"));
        // ... and DELETE /memories/search is a 405 there, while DELETE /memories/user deletes the id "user".
        assertFalse(samplePaths(Route.MEMORY_DELETE).contains("/memories/search"));
        assertTrue(samplePaths(Route.MEMORY_DELETE).contains("/memories/user"));
        assertEquals(Duration.ofSeconds(90), duration("1m30s"));
        assertEquals(Duration.ofMillis(500), duration("500ms"));
        assertEquals(List.of("/health"), samplePaths(Route.HEALTH));
    }

    @Test
    void everyFunctionHasAPublicRoute() {
        for (ApiFunction f : ApiFunction.values()) {
            assertFalse(Route.of(f).isEmpty(), f + " serves no route");
        }
        for (Deployment d : deployments()) {
            for (ApiFunction f : ApiFunction.values()) {
                d.service(f);
            }
        }
        if (deployments().isEmpty()) {
            fail("no overlay under " + Manifests.OVERLAYS);
        }
    }
}
