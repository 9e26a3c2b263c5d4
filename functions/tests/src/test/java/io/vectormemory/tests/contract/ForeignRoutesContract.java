package io.vectormemory.tests.contract;

import io.helidon.http.Method;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.Paths;
import io.vectormemory.tests.support.Response;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * A function mounts only its own routes: another function's route is a JSON 404, or a 405 with
 * {@code Allow} when this function serves the same path with another method. Never a 401, never handled.
 */
public interface ForeignRoutesContract extends ContractTarget {

    /** What this function answers to each route it does not serve: 404, or 405 with these Allow methods. */
    record Foreign(int status, Set<String> allow) {
        public static Foreign notFound() {
            return new Foreign(404, Set.of());
        }

        public static Foreign notAllowed(String... allow) {
            return new Foreign(405, Set.of(allow));
        }
    }

    Map<Route, Foreign> foreignRoutes();

    @Test
    default void everyRouteIsEitherServedOrForeign() {
        Set<Route> expectedForeign = EnumSet.allOf(Route.class);
        expectedForeign.removeAll(subjectRoutes());
        assertEquals(expectedForeign, foreignRoutes().keySet());
    }

    @TestFactory
    default Stream<DynamicTest> foreignRoutesAreNotServed() {
        return foreignRoutes().entrySet().stream().map(e -> dynamicTest(e.getKey().label(), () -> {
            Route route = e.getKey();
            for (Http client : List.of(anonymous(), withKey())) {
                Response r = client.send(route.method().text(), Paths.of(route), "application/json",
                        route.method() == Method.POST ? "{}".getBytes(StandardCharsets.UTF_8) : null);
                if (e.getValue().status() == 404) {
                    Expect.error(r, 404);
                } else {
                    Expect.methodNotAllowed(r, e.getValue().allow().toArray(String[]::new));
                }
            }
        }));
    }
}
