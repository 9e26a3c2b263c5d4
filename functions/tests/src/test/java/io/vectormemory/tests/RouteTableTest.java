package io.vectormemory.tests;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The route table is the function split of the README, written out here once more by hand. */
class RouteTableTest {

    private static Set<String> labels(ApiFunction f) {
        return Route.of(f).stream().map(Route::label).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void upsertServesTheWrites() {
        assertEquals(new TreeSet<>(Set.of("POST /memories", "POST /memories/batch", "DELETE /memories/{point_id}",
                "DELETE /memories/user/{user_id}", "POST /documents", "POST /documents/batch",
                "DELETE /documents/{point_id}", "POST /documents/delete-by-file", "POST /documents/delete-by-group",
                "DELETE /documents/user/{user_id}", "POST /documents/update-group-key")), labels(ApiFunction.UPSERT));
    }

    @Test
    void searchServesTheReads() {
        assertEquals(new TreeSet<>(Set.of("POST /memories/search", "POST /memories/scroll", "GET /memories/{point_id}",
                "POST /documents/search", "GET /documents/{point_id}", "GET /documents/stats/{user_id}",
                "GET /documents/groups/{user_id}", "POST /documents/files-by-group", "GET /collection/info")),
                labels(ApiFunction.SEARCH));
    }

    @Test
    void healthServesHealthAndDescriptions() {
        assertEquals(new TreeSet<>(Set.of("GET /health", "GET /capabilities", "GET /service/info",
                "GET /api-docs/openapi.json")), labels(ApiFunction.HEALTH));
    }

    @Test
    void onlyHealthCapabilitiesAndTheOpenApiDocumentAreOpen() {
        Set<Route> open = EnumSet.noneOf(Route.class);
        for (Route r : Route.values()) {
            if (r.access() == Route.Access.OPEN) {
                open.add(r);
            }
        }
        assertEquals(EnumSet.of(Route.HEALTH, Route.CAPABILITIES, Route.OPENAPI), open);
    }

    @Test
    void theFunctionsMountTheirOwnRoutesAndTheLauncherAll() {
        assertEquals(EnumSet.of(ApiFunction.UPSERT), io.vectormemory.upsert.Main.FUNCTIONS);
        assertEquals(EnumSet.of(ApiFunction.SEARCH), io.vectormemory.search.Main.FUNCTIONS);
        assertEquals(EnumSet.of(ApiFunction.HEALTH), io.vectormemory.health.Main.FUNCTIONS);
        assertEquals(EnumSet.allOf(ApiFunction.class), io.vectormemory.local.Main.FUNCTIONS);
        assertEquals(24, Route.values().length);
    }
}
