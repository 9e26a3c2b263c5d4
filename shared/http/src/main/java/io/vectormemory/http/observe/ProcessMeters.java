package io.vectormemory.http.observe;

import io.helidon.config.Config;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MetricsFactory;
import io.helidon.metrics.spi.MetersProvider;
import io.helidon.service.registry.ServiceRegistryException;
import io.helidon.service.registry.Services;

import java.util.LinkedHashSet;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Helidon's meter registry of this process (Micrometer, with Helidon's JVM and system meters), which every server
 * of the process records into.
 * <p>
 * Creating it is most of what Helidon's metrics cost a function's cold start: the first lookup builds Helidon's
 * service registry, then Helidon's global config, then the registry and its system meters (README.md, "Cold
 * start" under the benchmark's results). Three things keep most of that off the path to the first request:
 * <ul>
 * <li>Helidon's global config is empty instead of one built from environment variables, system properties and
 * files on the class path: every setting of a function is read by {@code Settings} and handed to Helidon through
 * its builders, so the config Helidon would build is never read;</li>
 * <li>{@link #createInBackground()} begins it on a thread of its own as a function starts, while the settings are
 * read, the Qdrant client is built and the routing is set up; {@link #registry()} waits for it;</li>
 * <li>the meters of Helidon's meter providers (its JVM and system meters) are registered on the first scrape
 * ({@link #registerProvidedMeters()}) rather than with the registry: registering them was half of what the
 * registry cost a cold start, and each of them reads the JVM at every scrape (a gauge or a count since the JVM
 * started), so a scrape reports the same values whenever they were registered.</li>
 * </ul>
 */
public final class ProcessMeters {
    /** Helidon's list of service implementations its discovery leaves out (comma separated class names). */
    static final String DISCOVERY_EXCLUDES = "io.helidon.common.serviceloader.exclude";

    private static final AtomicReference<CompletableFuture<MeterRegistry>> REGISTRY = new AtomicReference<>();
    private static volatile boolean providedMetersRegistered;

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

    /**
     * Registers the meters of every Helidon meter provider on the class path (Helidon's JVM and system meters), once
     * per process; the scrape paths call this before they answer. Where Helidon had applied them itself (its
     * registry was created before this class created it, as in a test), the registry hands back the same meters.
     */
    public static void registerProvidedMeters() {
        if (providedMetersRegistered) {
            return;
        }
        synchronized (ProcessMeters.class) {
            if (!providedMetersRegistered) {
                MeterRegistry registry = registry();
                MetricsFactory factory = MetricsFactory.getInstance();
                for (MetersProvider provider : ServiceLoader.load(MetersProvider.class)) {
                    provider.meterBuilders(factory).forEach(builder -> register(registry, builder));
                }
                providedMetersRegistered = true;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <B extends Meter.Builder<B, M>, M extends Meter> void register(MeterRegistry registry,
                                                                                   Meter.Builder<?, ?> builder) {
        registry.getOrCreate((B) builder);
    }

    private static CompletableFuture<MeterRegistry> complete(CompletableFuture<MeterRegistry> registry) {
        try {
            leaveMeterProvidersOutOfDiscovery();
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

    /**
     * Adds the meter providers on the class path to Helidon's discovery excludes, so that creating the registry does
     * not register their meters ({@link #registerProvidedMeters()} does); excludes set before are kept.
     */
    private static void leaveMeterProvidersOutOfDiscovery() {
        Set<String> excluded = new LinkedHashSet<>();
        String before = System.getProperty(DISCOVERY_EXCLUDES, "");
        for (String name : before.split(",")) {
            if (!name.isBlank()) {
                excluded.add(name.strip());
            }
        }
        ServiceLoader.load(MetersProvider.class).stream().forEach(p -> excluded.add(p.type().getName()));
        System.setProperty(DISCOVERY_EXCLUDES, String.join(",", excluded));
    }
}
