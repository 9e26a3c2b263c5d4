package io.vectormemory.search;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.server.FunctionContext;
import io.vectormemory.http.server.Startup;
import io.vectormemory.qdrant.store.QdrantStores;

import java.util.EnumSet;
import java.util.Set;

/** The search function: memory and document reads and {@code /collection/info}, on $PORT, with probes and metrics. */
public final class Main {
    /** The functions of the route table this server serves. */
    public static final Set<ApiFunction> FUNCTIONS = EnumSet.of(ApiFunction.SEARCH);

    private Main() {
    }

    public static void main(String[] args) {
        Startup.start("search", Startup.settingsOrExit(), FUNCTIONS, Main::routing);
    }

    /** The search function's routes; {@code main}, the local launcher and the tests mount exactly this. */
    public static void routing(ApiRoutes routes, FunctionContext context) {
        QdrantStores stores = context.stores();
        new MemoryReads(stores.memories(), stores.dimension(), context.settings().limits()).routing(routes);
        new DocumentReads(stores.documents(), stores.dimension(), context.settings().limits()).routing(routes);
        new CollectionInfoEndpoint(stores.memories(), stores.sizes()).routing(routes);
    }
}
