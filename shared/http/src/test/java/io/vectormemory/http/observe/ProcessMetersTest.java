package io.vectormemory.http.observe;

import io.helidon.config.Config;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;

/** Helidon's registry of the process: one, whoever asks first, with Helidon's system meters once asked for. */
class ProcessMetersTest {
    @Test
    void oneRegistryForEveryCallerWithHelidonsSystemMeters() throws Exception {
        ProcessMeters.createInBackground();
        List<Callable<MeterRegistry>> callers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            callers.add(i % 2 == 0 ? ProcessMeters::registry : () -> {
                ProcessMeters.createInBackground();
                return ProcessMeters.registry();
            });
        }
        List<MeterRegistry> registries = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<MeterRegistry> f : pool.invokeAll(callers)) {
                registries.add(f.get());
            }
        }
        MeterRegistry registry = registries.getFirst();
        for (MeterRegistry r : registries) {
            assertThat(r, sameInstance(registry));
        }
        assertThat(registry, sameInstance(Services.get(MeterRegistry.class)));
        // Helidon's discovery leaves its meter providers out; the first scrape registers their meters.
        assertThat(System.getProperty(ProcessMeters.DISCOVERY_EXCLUDES),
                containsString("io.helidon.metrics.systemmeters.SystemMetersProvider"));
        ProcessMeters.registerProvidedMeters();
        assertThat(registry.meters().stream().anyMatch(m -> m.id().name().equals("memory.usedHeap")), is(true));
        // Helidon's config is the empty one: every setting comes from the function's own Settings. (Helidon's own
        // would hold the environment, where PATH always is.)
        assertThat(System.getenv("PATH") != null, is(true));
        assertThat(Services.get(Config.class).get("path").exists(), is(false));
    }
}
