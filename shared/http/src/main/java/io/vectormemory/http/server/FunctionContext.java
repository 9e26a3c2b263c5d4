package io.vectormemory.http.server;

import io.vectormemory.http.observe.ApiMetrics;
import io.vectormemory.qdrant.store.QdrantStores;

/**
 * What a function's routing is given, built once per process: its settings, the Qdrant stores around the one
 * connection, and the server's metrics. A routing passes each handler only the parts it uses.
 *
 * @param name         label of this server in logs and metrics ("upsert", "search", "health", "local")
 * @param startedNanos when the process started serving, for uptimes
 */
public record FunctionContext(String name, Settings settings, QdrantStores stores, ApiMetrics metrics,
                              long startedNanos) {
}
