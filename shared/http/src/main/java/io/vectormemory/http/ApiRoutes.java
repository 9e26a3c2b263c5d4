package io.vectormemory.http;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The handlers one server mounts, bound route by route from the route table. Each function's routing adds its own;
 * the local launcher lets all three add theirs to one instance.
 */
public final class ApiRoutes {
    private final Map<Route, RouteHandler> handlers = new EnumMap<>(Route.class);

    /** Binds a route's handler; a route bound twice is a programming error. */
    public ApiRoutes add(Route route, RouteHandler handler) {
        if (handlers.putIfAbsent(route, handler) != null) {
            throw new IllegalStateException("two handlers for " + route.label());
        }
        return this;
    }

    public Map<Route, RouteHandler> handlers() {
        return Collections.unmodifiableMap(handlers);
    }
}
