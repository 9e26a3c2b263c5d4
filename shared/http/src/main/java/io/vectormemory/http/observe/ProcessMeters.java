package io.vectormemory.http.observe;

import io.helidon.config.Config;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.ServiceRegistryException;
import io.helidon.service.registry.Services;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Helidon's meter registry of this process (Micrometer, with Helidon's JVM and system meters), which every server
 * of the process records into.
 * <p>
 * Creating it is most of what Helidon's metrics cost a function's cold start: the first lookup builds Helidon's
 * service registry, then Helidon's global config, then the registry and its system meters (README.md, "Cold
 * start" under the benchmark's results). Two things keep most of that off the path to the first request:
 * <ul>
 * <li>Helidon's global config is empty instead of one built from environment variables, system properties and
 * files on the class path: every setting of a function is read by {@code Settings} and handed to Helidon through
 * its builders, so the config Helidon would build is never read;</li>
 * <li>{@link #createInBackground()} begins it on a thread of its own as a function starts, while the settings are
 * read, the Qdrant client is built and the routing is set up; {@link #registry()} waits for it.</li>
 * </ul>
 */
public final class ProcessMeters {
    private static final AtomicReference<CompletableFuture<MeterRegistry>> REGISTRY = new AtomicReference<>();

    private ProcessMeters() {
    }

    /** Begins creating the registry on a daemon thread, unless it is created or being created already. */
    public static void createInBackground() {
        CompletableFuture<MeterRegistry> registry = new CompletableFuture<>();
        if (REGISTRY.compareAndSet(null, registry)) {
            Thread.ofPlatform().daemon().name("meter-registry").start(() -> complete(registry));
        }
    }

    /** The registry, created on this thread unless {@link #createInBackground()} has begun it. */
    public static MeterRegistry registry() {
        CompletableFuture<MeterRegistry> created = new CompletableFuture<>();
        CompletableFuture<MeterRegistry> begun = REGISTRY.compareAndExchange(null, created);
        return (begun == null ? complete(created) : begun).join();
    }

    private static CompletableFuture<MeterRegistry> complete(CompletableFuture<MeterRegistry> registry) {
        try {
            try {
                Services.set(Config.class, Config.empty());
            } catch (ServiceRegistryException e) {
                // Helidon's config was read first in this JVM (a test's server started before any function did):
                // the registry is created on that config.
            }
            registry.complete(Services.get(MeterRegistry.class));
        } catch (RuntimeException | Error e) {
            registry.completeExceptionally(e);
        }
        return registry;
    }
}
