package io.vectormemory.qdrant;

import org.testcontainers.junit.jupiter.Testcontainers;

import java.util.Map;

/** The backend contract against a real Qdrant with the settings of a replicated, sharded cluster. */
@Testcontainers(disabledWithoutDocker = true)
class QdrantContainerClusterSettingsTest extends QdrantContainerTest {
    @Override
    protected Map<String, String> legSettings() {
        return CLUSTER_SETTINGS;
    }
}
