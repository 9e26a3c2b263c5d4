package io.vectormemory.qdrant;

import org.junit.jupiter.api.Assumptions;

import java.util.Map;

/**
 * The backend contract against whatever Qdrant {@link QdrantConformance} points it at, with the layout settings it
 * was given. Not a test of the build: without a target every test is skipped (and Surefire does not pick it up).
 */
class ConformanceSuite extends BackendContract {
    /** The Qdrant under test and the settings of the run. */
    record Target(Backend.Endpoint endpoint, Map<String, String> settings) {
    }

    private static volatile Target target;

    static void target(Target t) {
        target = t;
    }

    private static Target target() {
        Target t = target;
        Assumptions.assumeTrue(t != null, "no target: run bin/qdrant-conformance");
        return t;
    }

    @Override
    protected Backend.Endpoint endpoint() {
        return target().endpoint();
    }

    @Override
    protected Map<String, String> legSettings() {
        return target().settings();
    }

    /** The target behind a port of our own, which the test closes: the client must notice Qdrant gone. */
    @Override
    public Backend.Disposable startDisposableBackend() {
        Backend.Endpoint e = target().endpoint();
        Assumptions.assumeFalse(e.tls(), "needs a plaintext QDRANT_URL (the stand-in outage is a plain TCP relay)");
        ForwardingPort port = ForwardingPort.to(e.host(), e.port());
        Backend.Endpoint relayed = new Backend.Endpoint("127.0.0.1", port.port(), e.apiKey());
        return new Backend.Disposable() {
            @Override
            public Backend.Endpoint endpoint() {
                return relayed;
            }

            @Override
            public void close() {
                port.close();
            }
        };
    }
}
