package io.vectormemory.tests;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.contract.CommonContract;
import io.vectormemory.tests.contract.DocumentWriteContract;
import io.vectormemory.tests.contract.ForeignRoutesContract;
import io.vectormemory.tests.contract.MemoryWriteContract;
import io.vectormemory.tests.support.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import static io.vectormemory.tests.contract.ForeignRoutesContract.Foreign.notAllowed;
import static io.vectormemory.tests.contract.ForeignRoutesContract.Foreign.notFound;

/** The contract of the upsert function; reads that check its writes go to the search function. */
class UpsertFunctionTest implements CommonContract, ForeignRoutesContract, MemoryWriteContract, DocumentWriteContract {
    private static Deployment deployment;

    @BeforeAll
    static void start() {
        deployment = Deployments.functions();
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @Override
    public Deployment deployment() {
        return deployment;
    }

    @Override
    public String subjectName() {
        return "upsert";
    }

    @Override
    public Set<ApiFunction> subjectFunctions() {
        return io.vectormemory.upsert.Main.FUNCTIONS;
    }

    @Override
    public Map<Route, Foreign> foreignRoutes() {
        Map<Route, Foreign> m = new EnumMap<>(Route.class);
        m.put(Route.HEALTH, notFound());
        m.put(Route.CAPABILITIES, notFound());
        m.put(Route.SERVICE_INFO, notFound());
        m.put(Route.OPENAPI, notFound());
        m.put(Route.MEMORY_SEARCH, notFound());
        m.put(Route.MEMORY_SCROLL, notFound());
        m.put(Route.MEMORY_GET, notAllowed("DELETE"));
        m.put(Route.COLLECTION_INFO, notFound());
        m.put(Route.DOCUMENT_SEARCH, notFound());
        m.put(Route.DOCUMENT_FILES_BY_GROUP, notFound());
        m.put(Route.DOCUMENT_STATS, notFound());
        m.put(Route.DOCUMENT_GROUPS, notFound());
        m.put(Route.DOCUMENT_GET, notAllowed("DELETE"));
        return m;
    }
}
