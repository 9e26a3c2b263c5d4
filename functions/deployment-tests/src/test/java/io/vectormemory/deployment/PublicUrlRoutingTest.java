package io.vectormemory.deployment;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
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
 * The one public URL against the route table in code (Route.java): for a concrete path of every route, and of
 * every overlay, the HTTPRoute rules send the request to the function that serves the route; the probes and
 * /metrics are not public; the route is attached to the Gateway over TLS and may reach its backends.
 */
class PublicUrlRoutingTest {
    private static final String MEMORY_ID = "mem_42_1001";

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
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), d + ":\n" + String.join("\n", failures));
        assertTrue(checked > Route.values().length, "checked " + checked + " requests");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void probesAndMetricsAreNotPublic(Deployment d) {
        GatewayRouting routing = new GatewayRouting(d.httpRoutes());
        for (String host : publicHosts(d)) {
            for (String path : Route.INFRA_PATHS) {
                for (String method : List.of("GET", "HEAD", "POST", "DELETE")) {
                    assertTrue(routing.route(host, method, path).isEmpty(),
                            d + ": " + method + " " + path + " must not be reachable from the public URL");
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
        return paths.stream().filter(p -> resolve(route.method().text(), p).orElse(null) == route).toList();
    }

    /** The route-table resolution (ApiRouting): the first template that fits decides, then the method. */
    static Optional<Route> resolve(String method, String path) {
        String[] raw = path.substring(1).split("/", -1);
        for (Route template : Route.values()) {
            if (fits(template, raw)) {
                for (Route r : Route.values()) {
                    if (r.template().equals(template.template()) && r.method().text().equals(method)) {
                        return Optional.of(r);
                    }
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean fits(Route route, String[] raw) {
        String[] segments = route.template().substring(1).split("/");
        if (segments.length != raw.length) {
            return false;
        }
        for (int i = 0; i < raw.length; i++) {
            if (segments[i].startsWith("{") ? raw[i].isEmpty() : !segments[i].equals(raw[i])) {
                return false;
            }
        }
        return true;
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
