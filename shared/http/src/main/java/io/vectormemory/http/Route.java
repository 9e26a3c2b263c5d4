package io.vectormemory.http;

import io.helidon.http.Method;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The route table: every API route (the Rust service's, plus {@code DELETE /memories/user/{user_id}}), the function
 * that serves it and whether it needs the API key. The functions, the local launcher, the OpenAPI document, the
 * tests and the public-URL routing checks all read it from here.
 * <p>
 * Order matters: a path is matched against the templates in this order, so routes with a static segment
 * come before a parameter in the same position (as in the Rust service: {@code POST /memories/search} shadows the id
 * {@code search}, and {@code GET /memories/search} is a 405, not a lookup of id "search").
 */
public enum Route {
    HEALTH(Method.GET, "/health", ApiFunction.HEALTH, Access.OPEN, "Service and Qdrant health; 503 when the service cannot serve (Qdrant unreachable, key refused, collections missing)"),
    CAPABILITIES(Method.GET, "/capabilities", ApiFunction.HEALTH, Access.OPEN, "Static service capabilities"),
    SERVICE_INFO(Method.GET, "/service/info", ApiFunction.HEALTH, Access.KEY, "Service and default collection information"),
    OPENAPI(Method.GET, "/api-docs/openapi.json", ApiFunction.HEALTH, Access.OPEN, "This OpenAPI document"),

    MEMORY_UPSERT(Method.POST, "/memories", ApiFunction.UPSERT, Access.KEY, "Upsert one memory"),
    MEMORY_BATCH(Method.POST, "/memories/batch", ApiFunction.UPSERT, Access.KEY, "Upsert a batch of memories"),
    MEMORY_SEARCH(Method.POST, "/memories/search", ApiFunction.SEARCH, Access.KEY, "Vector search over a user's active memories"),
    MEMORY_SCROLL(Method.POST, "/memories/scroll", ApiFunction.SEARCH, Access.KEY, "Page through a user's active memories"),
    MEMORY_DELETE_USER(Method.DELETE, "/memories/user/{user_id}", ApiFunction.UPSERT, Access.KEY, "Delete all memories of a user; returns the count"),
    MEMORY_GET(Method.GET, "/memories/{point_id}", ApiFunction.SEARCH, Access.KEY, "Get one memory by id"),
    MEMORY_DELETE(Method.DELETE, "/memories/{point_id}", ApiFunction.UPSERT, Access.KEY, "Delete one memory by id"),
    COLLECTION_INFO(Method.GET, "/collection/info", ApiFunction.SEARCH, Access.KEY, "Memories collection status and counts"),

    DOCUMENT_UPSERT(Method.POST, "/documents", ApiFunction.UPSERT, Access.KEY, "Upsert one document chunk"),
    DOCUMENT_BATCH(Method.POST, "/documents/batch", ApiFunction.UPSERT, Access.KEY, "Upsert a batch of document chunks"),
    DOCUMENT_SEARCH(Method.POST, "/documents/search", ApiFunction.SEARCH, Access.KEY, "Vector search over a user's document chunks"),
    DOCUMENT_DELETE_BY_FILE(Method.POST, "/documents/delete-by-file", ApiFunction.UPSERT, Access.KEY, "Delete a file's chunks; returns the count"),
    DOCUMENT_DELETE_BY_GROUP(Method.POST, "/documents/delete-by-group", ApiFunction.UPSERT, Access.KEY, "Delete a group's chunks; returns the count"),
    DOCUMENT_UPDATE_GROUP_KEY(Method.POST, "/documents/update-group-key", ApiFunction.UPSERT, Access.KEY, "Move a file's chunks to another group; returns the count"),
    DOCUMENT_FILES_BY_GROUP(Method.POST, "/documents/files-by-group", ApiFunction.SEARCH, Access.KEY, "Chunk counts per file of a group"),
    DOCUMENT_DELETE_USER(Method.DELETE, "/documents/user/{user_id}", ApiFunction.UPSERT, Access.KEY, "Delete all documents of a user; returns the count"),
    DOCUMENT_STATS(Method.GET, "/documents/stats/{user_id}", ApiFunction.SEARCH, Access.KEY, "Chunk, file and group statistics of a user"),
    DOCUMENT_GROUPS(Method.GET, "/documents/groups/{user_id}", ApiFunction.SEARCH, Access.KEY, "Group keys of a user"),
    DOCUMENT_GET(Method.GET, "/documents/{point_id}", ApiFunction.SEARCH, Access.KEY, "Get one document chunk with its vector"),
    DOCUMENT_DELETE(Method.DELETE, "/documents/{point_id}", ApiFunction.UPSERT, Access.KEY, "Delete one document chunk by id");

    /** Served by every function for Knative probes and Prometheus; never a Qdrant round trip. */
    public static final String LIVENESS_PATH = "/livez";
    public static final String READINESS_PATH = "/readyz";
    public static final String METRICS_PATH = "/metrics";
    public static final List<String> INFRA_PATHS = List.of(LIVENESS_PATH, READINESS_PATH, METRICS_PATH);
    /** Helidon's observe endpoints (health, metrics) under this path, served by every function, never public. */
    public static final String OBSERVE_PATH = "/observe";

    /** Whether a route needs the API key. */
    public enum Access { OPEN, KEY }

    private final Method method;
    private final String template;
    private final ApiFunction function;
    private final Access access;
    private final String summary;
    private final String label;
    private final String[] segments;

    Route(Method method, String template, ApiFunction function, Access access, String summary) {
        this.method = method;
        this.template = template;
        this.function = function;
        this.access = access;
        this.summary = summary;
        this.label = method.text() + " " + template;
        this.segments = template.substring(1).split("/");
    }

    public Method method() {
        return method;
    }

    public String template() {
        return template;
    }

    public ApiFunction function() {
        return function;
    }

    public Access access() {
        return access;
    }

    public String summary() {
        return summary;
    }

    /** "POST /memories/search": the label used in logs and metrics. */
    public String label() {
        return label;
    }

    /** Whether a raw path is a probe, the scrape or an observe endpoint: infrastructure, not API traffic. */
    public static boolean infra(String rawPath) {
        return INFRA_PATHS.contains(rawPath) || rawPath.equals(OBSERVE_PATH) || rawPath.startsWith(OBSERVE_PATH + "/");
    }

    public static List<Route> of(Set<ApiFunction> functions) {
        return Arrays.stream(values()).filter(r -> functions.contains(r.function)).toList();
    }

    public static List<Route> of(ApiFunction function) {
        return of(EnumSet.of(function));
    }

    /** Path parameter values if the raw segments fit this template, else null. Values stay percent-encoded. */
    public String[] match(String[] rawSegments) {
        if (rawSegments.length != segments.length) {
            return null;
        }
        String[] params = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].startsWith("{")) {
                if (rawSegments[i].isEmpty()) {
                    return null;
                }
                params[i] = rawSegments[i];
            } else if (!segments[i].equals(rawSegments[i])) {
                return null;
            }
        }
        return params;
    }

    /** Name of the parameter at a segment position, or null for a static segment. */
    public String parameterAt(int i) {
        String s = segments[i];
        return s.startsWith("{") ? s.substring(1, s.length() - 1) : null;
    }
}
