package io.vectormemory.tests.support;

import io.vectormemory.embedded.EmbeddedQdrant;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded Qdrant-protocol backend, in-process on an ephemeral port, shared by all contract tests of
 * one JVM. Deployments keep apart by using their own collection names.
 */
public final class Backend {
    /** The backend requires this key, so the functions' QDRANT_API_KEY wiring is exercised too. */
    public static final String QDRANT_API_KEY = "embedded-backend-key";

    private static EmbeddedQdrant shared;
    private static Path dataDir;

    private Backend() {
    }

    public static synchronized URI url() {
        if (shared == null) {
            try {
                dataDir = Files.createTempDirectory("contract-backend");
                shared = EmbeddedQdrant.start(new EmbeddedQdrant.Options("127.0.0.1", 0, dataDir, QDRANT_API_KEY));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shared.close();
                TempDirs.delete(dataDir);
            }, "contract-backend-shutdown"));
        }
        return URI.create("http://127.0.0.1:" + shared.port());
    }
}
