package io.vectormemory.tests;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.contract.CommonContract;
import io.vectormemory.tests.contract.DocumentReadContract;
import io.vectormemory.tests.contract.ForeignRoutesContract;
import io.vectormemory.tests.contract.MemoryReadContract;
import io.vectormemory.tests.support.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import static io.vectormemory.tests.contract.ForeignRoutesContract.Foreign.notAllowed;
import static io.vectormemory.tests.contract.ForeignRoutesContract.Foreign.notFound;

/** The contract of the search function; the data it reads is written through the upsert function. */
class SearchFunctionTest implements CommonContract, ForeignRoutesContract, MemoryReadContract, DocumentReadContract {
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
        return "search";
    }

    @Override
    public Set<ApiFunction> subjectFunctions() {
        return io.vectormemory.search.Main.FUNCTIONS;
    }

    @Override
    public Map<Route, Foreign> foreignRoutes() {
        Map<Route, Foreign> m = new EnumMap<>(Route.class);
        m.put(Route.HEALTH, notFound());
        m.put(Route.CAPABILITIES, notFound());
        m.put(Route.SERVICE_INFO, notFound());
        m.put(Route.OPENAPI, notFound());
        m.put(Route.MEMORY_UPSERT, notFound());
        m.put(Route.MEMORY_BATCH, notFound());
        m.put(Route.MEMORY_DELETE_USER, notFound());
        m.put(Route.MEMORY_DELETE, notAllowed("GET", "HEAD"));
        m.put(Route.DOCUMENT_UPSERT, notFound());
        m.put(Route.DOCUMENT_BATCH, notFound());
        m.put(Route.DOCUMENT_DELETE_BY_FILE, notFound());
        m.put(Route.DOCUMENT_DELETE_BY_GROUP, notFound());
        m.put(Route.DOCUMENT_UPDATE_GROUP_KEY, notFound());
        m.put(Route.DOCUMENT_DELETE_USER, notFound());
        m.put(Route.DOCUMENT_DELETE, notAllowed("GET", "HEAD"));
        return m;
    }
}
