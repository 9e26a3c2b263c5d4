package io.vectormemory.upsert;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.ApiRoutes;
import io.vectormemory.http.server.FunctionContext;
import io.vectormemory.http.server.Startup;
import io.vectormemory.qdrant.store.QdrantStores;

import java.util.EnumSet;
import java.util.Set;

/** The upsert function: memory and document writes, on $PORT, with probes and metrics. */
public final class Main {
    /** The functions of the route table this server serves. */
    public static final Set<ApiFunction> FUNCTIONS = EnumSet.of(ApiFunction.UPSERT);

    private Main() {
    }

    public static void main(String[] args) {
        Startup.start("upsert", Startup.settingsOrExit(), FUNCTIONS, Main::routing);
    }

    /** The upsert function's routes; {@code main}, the local launcher and the tests mount exactly this. */
    public static void routing(ApiRoutes routes, FunctionContext context) {
        QdrantStores stores = context.stores();
        new MemoryWrites(stores.memories(), stores.dimension(), context.settings().limits()).routing(routes);
        new DocumentWrites(stores.documents(), stores.dimension(), context.settings().limits()).routing(routes);
    }
}
