package io.vectormemory.tests;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.contract.CommonContract;
import io.vectormemory.tests.contract.ForeignRoutesContract;
import io.vectormemory.tests.contract.InfoContract;
import io.vectormemory.tests.support.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import static io.vectormemory.tests.contract.ForeignRoutesContract.Foreign.notFound;

/** The contract of the health function: it shares no path with the others, so all their routes are 404. */
class HealthFunctionTest implements CommonContract, ForeignRoutesContract, InfoContract {
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
        return "health";
    }

    @Override
    public Set<ApiFunction> subjectFunctions() {
        return io.vectormemory.health.Main.FUNCTIONS;
    }

    @Override
    public Map<Route, Foreign> foreignRoutes() {
        Map<Route, Foreign> m = new EnumMap<>(Route.class);
        for (Route r : Route.values()) {
            if (r.function() != ApiFunction.HEALTH) {
                m.put(r, notFound());
            }
        }
        return m;
    }
}
