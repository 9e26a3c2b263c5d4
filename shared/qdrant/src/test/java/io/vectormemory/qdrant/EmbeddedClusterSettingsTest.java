package io.vectormemory.qdrant;

import java.util.Map;

/**
 * The backend contract against the embedded server with the settings of a replicated, sharded cluster: shard
 * number, replication factor and write consistency sent with every collection, medium ordering with every write.
 */
class EmbeddedClusterSettingsTest extends EmbeddedBackendTest {
    @Override
    protected Map<String, String> legSettings() {
        return CLUSTER_SETTINGS;
    }
}
