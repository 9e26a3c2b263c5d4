package io.vectormemory.tests;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.tests.contract.CommonContract;
import io.vectormemory.tests.contract.DocumentReadContract;
import io.vectormemory.tests.contract.DocumentWriteContract;
import io.vectormemory.tests.contract.InfoContract;
import io.vectormemory.tests.contract.MemoryReadContract;
import io.vectormemory.tests.contract.MemoryWriteContract;
import io.vectormemory.tests.support.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Set;

/** The whole contract against the local launcher's routing: every route on one server. */
class LocalRoutingTest implements CommonContract, MemoryWriteContract, DocumentWriteContract, MemoryReadContract,
        DocumentReadContract, InfoContract {
    private static Deployment deployment;

    @BeforeAll
    static void start() {
        deployment = Deployments.local();
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
        return "local";
    }

    @Override
    public Set<ApiFunction> subjectFunctions() {
        return io.vectormemory.local.Main.FUNCTIONS;
    }
}
