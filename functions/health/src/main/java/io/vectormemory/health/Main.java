package io.vectormemory.health;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.server.FunctionContext;
import io.vectormemory.http.server.Startup;
import io.vectormemory.qdrant.store.QdrantStores;

import java.util.EnumSet;
import java.util.Set;

/** The health function: health, capabilities, service info and the OpenAPI document, on $PORT. */
public final class Main {
    /** The functions of the route table this server serves. */
    public static final Set<ApiFunction> FUNCTIONS = EnumSet.of(ApiFunction.HEALTH);

    private Main() {
    }

    public static void main(String[] args) {
        Startup.start("health", Startup.settingsOrExit(), FUNCTIONS, Main::routing);
    }

    /** The health function's routes; {@code main}, the local launcher and the tests mount exactly this. */
    public static void routing(ApiRoutes routes, FunctionContext context) {
        QdrantStores stores = context.stores();
        new HealthEndpoints(context.qdrantCheck(), stores.memories(), context.metrics(), stores.dimension(),
                context.startedNanos()).routing(routes);
    }
}
