package io.vectormemory.health;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from a resource Maven fills in. */
public final class ServiceVersion {
    /** Kept from the Rust service: the platform shows it, and ops scripts grep for it. */
    public static final String SERVICE = "synaplan-qdrant-service";
    public static final String VERSION = load();

    private ServiceVersion() {
    }

    private static String load() {
        try (InputStream in = ServiceVersion.class.getResourceAsStream("/vector-memory.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
