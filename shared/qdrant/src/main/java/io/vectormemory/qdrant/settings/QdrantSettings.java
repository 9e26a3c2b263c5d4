package io.vectormemory.qdrant.settings;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static io.vectormemory.qdrant.settings.EnvironmentReader.intIn;
import static io.vectormemory.qdrant.settings.EnvironmentReader.oneOf;

/**
 * How a process talks to Qdrant and lays out its collections, read from the {@code QDRANT_*} variables (and the
 * few others that concern Qdrant only).
 *
 * @param url                 gRPC endpoint; {@code https://} means TLS
 * @param apiKey              key sent to Qdrant as {@code api-key} metadata
 * @param memoriesCollection  the memories collection, and prefix of namespace collections
 * @param documentsCollection the documents collection
 * @param vectorDimension     vector size of both collection kinds
 * @param pointIdScheme       how platform string ids become Qdrant point ids
 * @param timeoutMillis       deadline of every Qdrant call except schema changes
 * @param schemaTimeoutMillis deadline of a schema change (creating a collection or a payload index): on a cluster
 *                            it goes through consensus, and Qdrant waits up to 10 s for the new replicas
 * @param healthTimeoutMillis deadline of the calls behind a health check
 * @param requestBudgetMillis total time one request may wait on Qdrant over all its calls
 * @param clusterLayout       shards and replicas of the collections this service creates
 * @param writeOrdering       ordering sent with every write
 * @param maxNamespaces       how many namespace collections may exist before a write to a new one is refused
 * @param caCert              PEM CA certificates trusted for Qdrant's TLS certificate, besides the system's
 */
public record QdrantSettings(
        URI url,
        Optional<String> apiKey,
        String memoriesCollection,
        String documentsCollection,
        int vectorDimension,
        PointIdScheme pointIdScheme,
        long timeoutMillis,
        long schemaTimeoutMillis,
        long healthTimeoutMillis,
        long requestBudgetMillis,
        ClusterLayout clusterLayout,
        WriteOrdering writeOrdering,
        int maxNamespaces,
        Optional<Path> caCert) {

    /**
     * Longest collection name this service creates. Qdrant names a collection's snapshot
     * {@code <name>-<peer id>-<YYYY-MM-DD-HH-MM-SS>.snapshot} and builds it in a temporary
     * {@code <snapshot name>-temp-XXXXXX} (lib/collection/src/collection/snapshots.rs): with a peer id of up to 20
     * digits that adds 62 characters, and a file name may have 255 (NAME_MAX).
     */
    public static final int MAX_COLLECTION_NAME = 255 - 62;

    /**
     * How new collections are laid out on a Qdrant cluster; absent values leave Qdrant's defaults, which is what a
     * single node or the embedded backend wants.
     */
    public record ClusterLayout(Optional<Integer> shardNumber, Optional<Integer> replicationFactor,
                                Optional<Integer> writeConsistencyFactor) {
        public static final ClusterLayout SINGLE_NODE =
                new ClusterLayout(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Reads the settings from a variable map; throws {@link SettingsException} listing every bad value. */
    public static QdrantSettings from(Map<String, String> env) {
        EnvironmentReader r = new EnvironmentReader(env);
        QdrantSettings settings = read(r);
        r.throwIfProblems();
        return settings;
    }

    /** Reads the settings, reporting bad values to the reader (which the caller checks). */
    public static QdrantSettings read(EnvironmentReader r) {
        URI url = r.value("QDRANT_URL", "http://localhost:6334", QdrantSettings::grpcUrl);
        Optional<String> apiKey = Optional.ofNullable(r.raw("QDRANT_API_KEY")).filter(s -> !s.isEmpty());
        String memories = r.value("QDRANT_COLLECTION_NAME", "user_memories", QdrantSettings::collectionName);
        String documents = r.value("QDRANT_DOCUMENTS_COLLECTION_NAME", "user_documents",
                QdrantSettings::collectionName);
        int dimension = r.value("QDRANT_VECTOR_DIMENSION", "1024", v -> intIn(v, 1, 65_536));
        PointIdScheme scheme = r.value("POINT_ID_SCHEME", "siphash",
                v -> PointIdScheme.valueOf(oneOf(v, "siphash", "uuid5")));
        long timeout = r.value("QDRANT_TIMEOUT_MS", "5000", v -> (long) intIn(v, 1, 600_000));
        // Qdrant waits up to 10 s for a new collection's replicas (CONSENSUS_META_OP_WAIT,
        // lib/common/common/src/defaults.rs), then for the other nodes to catch up.
        long schemaTimeout = r.value("QDRANT_SCHEMA_TIMEOUT_MS", "15000", v -> (long) intIn(v, 1, 600_000));
        long healthTimeout = r.value("HEALTH_TIMEOUT_MS", "1000", v -> (long) intIn(v, 1, 600_000));
        // One request may make several Qdrant calls (a batch in chunks, a scroll in pages); together they wait at
        // most this long, so no request outlives its client by much however slow Qdrant gets.
        long requestBudget = r.value("QDRANT_REQUEST_BUDGET_MS",
                String.valueOf(Math.max(30_000, Math.max(timeout, schemaTimeout))), v -> (long) intIn(v, 1, 600_000));
        ClusterLayout layout = new ClusterLayout(
                r.optional("QDRANT_SHARD_NUMBER", v -> intIn(v, 1, 1024)),
                r.optional("QDRANT_REPLICATION_FACTOR", v -> intIn(v, 1, 16)),
                r.optional("QDRANT_WRITE_CONSISTENCY_FACTOR", v -> intIn(v, 1, 16)));
        if (layout.writeConsistencyFactor().orElse(1) > layout.replicationFactor().orElse(1)) {
            r.problem("QDRANT_WRITE_CONSISTENCY_FACTOR must not exceed QDRANT_REPLICATION_FACTOR");
        }
        // With one copy of each shard there is nothing to keep in step; with more, weak ordering lets the copies
        // apply two writes to one point in different orders.
        WriteOrdering ordering = r.value("QDRANT_WRITE_ORDERING",
                layout.replicationFactor().orElse(1) > 1 ? "medium" : "weak",
                v -> WriteOrdering.valueOf(oneOf(v, "weak", "medium", "strong")));
        int maxNamespaces = r.value("QDRANT_MAX_NAMESPACES", "64", v -> intIn(v, 0, 100_000));
        Optional<Path> caCert = r.optional("QDRANT_CA_CERT", EnvironmentReader::readableFile);
        if (caCert.isPresent() && !"https".equals(url.getScheme())) {
            r.problem("QDRANT_CA_CERT is set but QDRANT_URL is not https://: the certificate would not be used");
        }
        return new QdrantSettings(url, apiKey, memories, documents, dimension, scheme, timeout, schemaTimeout,
                healthTimeout, requestBudget, layout, ordering, maxNamespaces, caCert);
    }

    /** Never the key: a record's default toString would print it. */
    @Override
    public String toString() {
        return "QdrantSettings[" + redacted() + "]";
    }

    public boolean tls() {
        return "https".equals(url.getScheme());
    }

    /** For the startup log line: the key is reported as set or not, never shown. */
    public String redacted() {
        return "qdrant_url=" + url
                + " qdrant_api_key=" + (apiKey.isPresent() ? "<set>" : "<unset>")
                + " memories_collection=" + memoriesCollection
                + " documents_collection=" + documentsCollection
                + " vector_dimension=" + vectorDimension
                + " point_id_scheme=" + pointIdScheme.name().toLowerCase()
                + " qdrant_timeout_ms=" + timeoutMillis
                + " qdrant_schema_timeout_ms=" + schemaTimeoutMillis
                + " health_timeout_ms=" + healthTimeoutMillis
                + " qdrant_request_budget_ms=" + requestBudgetMillis
                + " shard_number=" + clusterLayout.shardNumber().map(String::valueOf).orElse("default")
                + " replication_factor=" + clusterLayout.replicationFactor().map(String::valueOf).orElse("default")
                + " write_consistency_factor="
                + clusterLayout.writeConsistencyFactor().map(String::valueOf).orElse("default")
                + " write_ordering=" + writeOrdering.name().toLowerCase()
                + " max_namespaces=" + maxNamespaces
                + " qdrant_ca_cert=" + caCert.map(Path::toString).orElse("<system trust>");
    }

    public QdrantSettings withUrl(URI newUrl) {
        return new QdrantSettings(newUrl, apiKey, memoriesCollection, documentsCollection, vectorDimension,
                pointIdScheme, timeoutMillis, schemaTimeoutMillis, healthTimeoutMillis, requestBudgetMillis,
                clusterLayout, writeOrdering, maxNamespaces, caCert);
    }

    private static URI grpcUrl(String v) {
        URI uri;
        try {
            uri = URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected http://host:port or https://host:port (gRPC endpoint)");
        }
        return uri;
    }

    private static String collectionName(String v) {
        if (v.isEmpty() || v.length() > MAX_COLLECTION_NAME || !v.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("expected 1-" + MAX_COLLECTION_NAME + " characters of A-Z a-z 0-9 _ -"
                    + " (longer names break Qdrant's snapshot file names)");
        }
        return v;
    }
}
