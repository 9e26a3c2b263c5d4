package io.vectormemory.http.server;

import io.vectormemory.http.observe.ApiMetrics;
import io.vectormemory.http.observe.QdrantHealthCheck;
import io.vectormemory.qdrant.store.QdrantStores;

/**
 * What a function's routing is given, built once per process: its settings, the Qdrant stores around the one
 * connection, the server's metrics and its Qdrant health check. A routing passes each handler only the parts it uses.
 *
 * @param name         label of this server in logs and metrics ("upsert", "search", "health", "local")
 * @param qdrantCheck  the readiness check served at /observe/health, which /health is computed from
 * @param startedNanos when the process started serving, for uptimes
 */
public record FunctionContext(String name, Settings settings, QdrantStores stores, ApiMetrics metrics,
                              QdrantHealthCheck qdrantCheck, long startedNanos) {
}
