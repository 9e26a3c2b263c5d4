package io.vectormemory.deployment;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a function answers to a method and path before any handler or key check runs, as ApiRouting decides
 * it from the route table: the first template of the whole table that fits the raw path decides what the
 * path is; then the routes the function serves on that template give the route, or a JSON 405 whose Allow
 * lists their methods (HEAD with GET), or a JSON 404 when it serves none. OPTIONS is the CORS preflight on
 * any path. Served by every function, the answer is the route table's own (the local launcher's).
 */
record TableAnswer(Kind kind, Route route, Set<String> allow) {
    enum Kind { ROUTE, NOT_FOUND, METHOD_NOT_ALLOWED, PREFLIGHT }

    static final Set<ApiFunction> ALL = EnumSet.allOf(ApiFunction.class);

    static TableAnswer of(Set<ApiFunction> served, String method, String path) {
        if (method.equals("OPTIONS")) {
            return new TableAnswer(Kind.PREFLIGHT, null, Set.of());
        }
        Optional<Route> template = template(path);
        if (template.isEmpty()) {
            return new TableAnswer(Kind.NOT_FOUND, null, Set.of());
        }
        String wanted = method.equals("HEAD") ? "GET" : method;
        Set<String> allow = new TreeSet<>();
        Route chosen = null;
        for (Route r : Route.values()) {
            if (served.contains(r.function()) && r.template().equals(template.get().template())) {
                allow.add(r.method().text());
                if (r.method().text().equals("GET")) {
                    allow.add("HEAD");
                }
                if (r.method().text().equals(wanted)) {
                    chosen = r;
                }
            }
        }
        if (allow.isEmpty()) {
            return new TableAnswer(Kind.NOT_FOUND, null, Set.of());
        }
        return chosen != null ? new TableAnswer(Kind.ROUTE, chosen, Set.of())
                : new TableAnswer(Kind.METHOD_NOT_ALLOWED, null, Set.copyOf(allow));
    }

    /** The first template of the table that fits the raw path (a parameter takes any non-empty segment). */
    static Optional<Route> template(String path) {
        String[] raw = path.length() <= 1 ? new String[] {""} : path.substring(1).split("/", -1);
        for (Route r : Route.values()) {
            String[] segments = r.template().substring(1).split("/");
            if (segments.length != raw.length) {
                continue;
            }
            boolean fits = true;
            for (int i = 0; i < raw.length && fits; i++) {
                fits = segments[i].startsWith("{") ? !raw[i].isEmpty() : segments[i].equals(raw[i]);
            }
            if (fits) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ROUTE -> route.label();
            case NOT_FOUND -> "404";
            case METHOD_NOT_ALLOWED -> "405 Allow: " + String.join(",", new TreeSet<>(allow));
            case PREFLIGHT -> "preflight";
        };
    }
}
