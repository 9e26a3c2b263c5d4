package io.vectormemory.tests.contract;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Calls;
import io.vectormemory.tests.support.Deployment;
import io.vectormemory.tests.support.Http;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * What a contract test body runs against: one server under test (the subject: a function, or the local
 * launcher's routing) inside a deployment that also has the other functions on the same backend, so a flow
 * such as "upsert, then search" can cross functions exactly as it does in production.
 */
public interface ContractTarget {
    Deployment deployment();

    /** Name of the server under test in {@link #deployment()}. */
    String subjectName();

    /** The functions the server under test mounts. */
    Set<ApiFunction> subjectFunctions();

    default URI subject() {
        return deployment().server(subjectName());
    }

    default Calls calls() {
        return new Calls(deployment());
    }

    /** The server under test, without credentials. */
    default Http anonymous() {
        return Http.to(subject());
    }

    /** The server under test, with a valid key. */
    default Http withKey() {
        return Http.to(subject()).apiKey(Deployment.KEY);
    }

    default List<Route> subjectRoutes() {
        return Route.of(subjectFunctions());
    }
}
