package io.vectormemory.deployment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which HTTPRoute rule a request takes, by the Gateway API's rules (HTTPRouteRule, "matches"): of all matches of
 * all rules that fit the request, precedence goes to an Exact path, then the longest PathPrefix, then a
 * RegularExpression (its rank is implementation-specific: last here), then a method match, then the most header
 * matches, then the most query parameter matches; remaining ties go to the first rule in order. PathPrefix
 * matches whole path elements ("/memories" fits "/memories/x", not "/memoriesx"; a trailing "/" is ignored).
 */
final class GatewayRouting {
    /** One match of one rule, with what ranks it. */
    record Candidate(Map<String, Object> route, int ruleIndex, Map<String, Object> rule, Map<String, Object> match) {
        String pathType() {
            return Manifests.at(match, "path", "type").map(String::valueOf).orElse("PathPrefix");
        }

        String pathValue() {
            return Manifests.at(match, "path", "value").map(String::valueOf).orElse("/");
        }
    }

    private final List<Map<String, Object>> routes;

    GatewayRouting(List<Map<String, Object>> httpRoutes) {
        this.routes = httpRoutes.stream()
                .sorted(Comparator.comparing((Map<String, Object> r) -> Manifests.namespace(r) + "/" + Manifests.name(r)))
                .toList();
    }

    /** The rule a request with this method and path (no query string, no headers) is routed by, if any. */
    Optional<Candidate> route(String host, String method, String path) {
        List<Candidate> fitting = new ArrayList<>();
        for (Map<String, Object> route : routes) {
            List<Object> hostnames = Manifests.at(route, "spec", "hostnames").map(h -> (List<Object>) h).orElse(List.of());
            if (!hostnames.isEmpty() && hostnames.stream().noneMatch(h -> hostFits(h.toString(), host))) {
                continue;
            }
            List<Map<String, Object>> rules = Manifests.maps(route, "spec", "rules");
            for (int i = 0; i < rules.size(); i++) {
                Map<String, Object> rule = rules.get(i);
                List<Map<String, Object>> matches = Manifests.maps(rule, "matches");
                if (matches.isEmpty()) {
                    matches = List.of(Map.of()); // no matches: PathPrefix "/"
                }
                for (Map<String, Object> match : matches) {
                    Candidate c = new Candidate(route, i, rule, match);
                    if (fits(c, method, path)) {
                        fitting.add(c);
                    }
                }
            }
        }
        return fitting.stream().min(PRECEDENCE);
    }

    private static final Comparator<Candidate> PRECEDENCE = Comparator
            .comparingInt((Candidate c) -> switch (c.pathType()) {
                case "Exact" -> 0;
                case "PathPrefix" -> 1;
                default -> 2;
            })
            .thenComparing(c -> c.pathType().equals("PathPrefix") ? -normalizedPrefix(c.pathValue()).length() : 0)
            .thenComparing(c -> c.match().containsKey("method") ? 0 : 1)
            .thenComparing(c -> -Manifests.maps(c.match(), "headers").size())
            .thenComparing(c -> -Manifests.maps(c.match(), "queryParams").size());
    // List order of the sorted routes and their rules breaks the remaining ties: min() keeps the first.

    static boolean fits(Candidate c, String method, String path) {
        if (c.match().containsKey("method") && !c.match().get("method").equals(method)) {
            return false;
        }
        if (!Manifests.maps(c.match(), "headers").isEmpty() || !Manifests.maps(c.match(), "queryParams").isEmpty()) {
            return false; // the requests checked here carry no special headers or query parameters
        }
        String value = c.pathValue();
        return switch (c.pathType()) {
            case "Exact" -> path.equals(value);
            case "PathPrefix" -> prefixFits(normalizedPrefix(value), path);
            case "RegularExpression" -> Pattern.compile(value).matcher(path).matches();
            default -> throw new IllegalStateException("unknown path match type " + c.pathType());
        };
    }

    private static String normalizedPrefix(String value) {
        return value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static boolean prefixFits(String prefix, String path) {
        if (prefix.equals("/")) {
            return true;
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    static boolean hostFits(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1;
        }
        return pattern.equals(host);
    }
}
