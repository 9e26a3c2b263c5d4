package io.vectormemory.http.routing;

import io.vectormemory.http.observe.ProcessMeters;
import io.helidon.webserver.http.HttpRouting;
import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.Route;
import io.vectormemory.http.observe.ApiMetrics;
import io.vectormemory.qdrant.calls.RequestDeadline;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A server mounts a handler for every route of its functions, and none for another function's route. */
class ApiRoutingTest {
    private static void mount(Set<ApiFunction> functions, ApiRoutes routes) {
        ServingState state = new ServingState();
        ApiRouting.routing(HttpRouting.builder(), functions, routes, new RequestFilter("test",
                new ApiMetrics(ProcessMeters.registry(), "test"), state), new ApiRouting.Guards(
                ApiKeys.disabled(), state, new RequestDeadline(1000, () -> { }), ConcurrencyLimit.of(0), 1024),
                rules -> { });
    }

    private static ApiRoutes all(ApiFunction function) {
        ApiRoutes routes = new ApiRoutes();
        for (Route r : Route.of(function)) {
            routes.add(r, (req, res, params) -> res.send());
        }
        return routes;
    }

    @Test
    void everyRouteOfTheFunctionsHasAHandler() {
        assertDoesNotThrow(() -> mount(EnumSet.of(ApiFunction.HEALTH), all(ApiFunction.HEALTH)));
        ApiRoutes missing = new ApiRoutes().add(Route.HEALTH, (req, res, params) -> res.send());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(EnumSet.of(ApiFunction.HEALTH), missing));
        assertThat(e.getMessage(), containsString("no handler for GET /capabilities"));
    }

    @Test
    void aHandlerForAnotherFunctionsRouteIsRefused() {
        ApiRoutes routes = all(ApiFunction.HEALTH).add(Route.MEMORY_SEARCH, (req, res, params) -> res.send());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mount(EnumSet.of(ApiFunction.HEALTH), routes));
        assertThat(e.getMessage(), containsString("POST /memories/search"));
    }

    @Test
    void aRouteBoundTwiceIsRefused() {
        ApiRoutes routes = new ApiRoutes().add(Route.HEALTH, (req, res, params) -> res.send());
        assertThrows(IllegalStateException.class, () -> routes.add(Route.HEALTH, (req, res, params) -> res.send()));
    }
}
