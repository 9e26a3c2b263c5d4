package io.vectormemory.search;

import io.helidon.webserver.http.HttpRouting;
import io.vectormemory.shared.Api;
import io.vectormemory.shared.ApiServer;
import io.vectormemory.shared.Startup;
import io.vectormemory.shared.http.ApiFunction;

import java.util.EnumSet;
import java.util.Set;

/** The search function: its routes from the route table, probes and metrics, on $PORT. */
public final class Main {
    public static final Set<ApiFunction> FUNCTIONS = EnumSet.of(ApiFunction.SEARCH);

    private Main() {
    }

    public static void main(String[] args) {
        Startup.start("search", Startup.settingsOrExit(), FUNCTIONS);
    }

    /** This function's routing; tests mount exactly this. */
    public static void routing(HttpRouting.Builder rules, Api api) {
        ApiServer.routing(rules, api, FUNCTIONS);
    }
}
