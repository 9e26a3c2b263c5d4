package io.vectormemory.qdrant;

import io.grpc.Status;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.vectormemory.qdrant.connection.QdrantCaTrust;
import io.vectormemory.qdrant.connection.QdrantConnection;
import io.vectormemory.qdrant.settings.QdrantSettings;
import io.vectormemory.qdrant.settings.SettingsException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@code bin/qdrant-conformance QDRANT_URL [QDRANT_API_KEY]}: the backend contract (every call the functions make,
 * with the functions' own client code) against any Qdrant, in collections of its own that it deletes afterwards.
 * Prints the server's version (warning when it is not the one the functions are tested against), one line per test
 * and {@code N passed, M failed} last. Exit status 0 when nothing failed, 1 when a test failed, 2 when Qdrant could
 * not be reached or refused the key (one line says which).
 *
 * <p>The key may come from the environment ({@code QDRANT_API_KEY}) instead of the command line. The settings the
 * functions read for their layout and deadlines ({@code QDRANT_SHARD_NUMBER}, {@code QDRANT_REPLICATION_FACTOR},
 * {@code QDRANT_WRITE_CONSISTENCY_FACTOR}, {@code QDRANT_WRITE_ORDERING}, {@code QDRANT_TIMEOUT_MS},
 * {@code QDRANT_SCHEMA_TIMEOUT_MS}, {@code QDRANT_CA_CERT}) are taken from the environment too, so the run creates
 * collections as the functions will.
 */
public final class QdrantConformance {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int UNREACHABLE = 2;

    private static final List<String> PASSED_ON = List.of("QDRANT_SHARD_NUMBER", "QDRANT_REPLICATION_FACTOR",
            "QDRANT_WRITE_CONSISTENCY_FACTOR", "QDRANT_WRITE_ORDERING", "QDRANT_TIMEOUT_MS",
            "QDRANT_SCHEMA_TIMEOUT_MS", "QDRANT_CA_CERT");
    private static final Duration PREFLIGHT = Duration.ofSeconds(10);
    /** Held so the level set on it stays (the module's and gRPC's log lines would drown the report). */
    private static final Logger ROOT = Logger.getLogger("");

    private QdrantConformance() {
    }

    public static void main(String[] args) {
        ROOT.setLevel(Level.OFF);
        System.exit(run(args, System.getenv(), System.out));
    }

    static int run(String[] args, Map<String, String> environment, PrintStream out) {
        if (args.length < 1 || args.length > 2) {
            out.println("usage: bin/qdrant-conformance QDRANT_URL [QDRANT_API_KEY]   (gRPC URL, e.g. http://127.0.0.1:6334)");
            return UNREACHABLE;
        }
        String key = args.length == 2 ? args[1] : environment.get("QDRANT_API_KEY");
        Map<String, String> settings = new HashMap<>();
        for (String name : PASSED_ON) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                settings.put(name, value);
            }
        }
        Map<String, String> env = new HashMap<>(settings);
        env.put("QDRANT_URL", args[0]);
        if (key != null && !key.isEmpty()) {
            env.put("QDRANT_API_KEY", key);
        }
        QdrantSettings checked;
        try {
            checked = QdrantSettings.from(env);
        } catch (SettingsException e) {
            out.println("qdrant-conformance: " + String.join("; ", e.problems()));
            return UNREACHABLE;
        }
        URI url = checked.url();
        checked.caCert().ifPresent(QdrantCaTrust::install);
        String version;
        try (QdrantConnection connection = QdrantConnection.open(checked)) {
            try {
                HealthCheckReply health = connection.client().healthCheckAsync(PREFLIGHT)
                        .get(PREFLIGHT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                version = health.getVersion();
            } catch (ExecutionException | TimeoutException e) {
                out.println("qdrant-conformance: no Qdrant answers gRPC at " + url + ": " + reason(e));
                return UNREACHABLE;
            }
            try {
                connection.client().listCollectionsAsync(PREFLIGHT).get(PREFLIGHT.toMillis() + 1000,
                        TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Status.Code code = Status.fromThrowable(e).getCode();
                if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
                    out.println("qdrant-conformance: Qdrant at " + url + " refused "
                            + (key == null || key.isEmpty() ? "a call without an API key" : "the API key")
                            + " (" + code + ")");
                } else {
                    out.println("qdrant-conformance: Qdrant at " + url + " did not list its collections: "
                            + reason(e));
                }
                return UNREACHABLE;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREACHABLE;
        }

        String tested = testedVersion();
        out.println("Qdrant " + version + " at " + url + (key == null || key.isEmpty() ? ", no API key" : ", API key")
                + (settings.isEmpty() ? "" : ", " + settings));
        if (tested != null && !tested.equals(version)) {
            out.println("warning: Qdrant " + version + " is not " + tested
                    + ", the version the functions are tested against (pom.xml qdrant.image)");
        }
        Backend.Endpoint endpoint = new Backend.Endpoint(url.getHost(), url.getPort() > 0 ? url.getPort() : 6334,
                key == null || key.isEmpty() ? null : key, checked.tls());
        return runSuite(new ConformanceSuite.Target(endpoint, settings), out);
    }

    private static int runSuite(ConformanceSuite.Target target, PrintStream out) {
        Report report = new Report(out);
        ConformanceSuite.target(target);
        try {
            Launcher launcher = LauncherFactory.create();
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(ConformanceSuite.class))
                    .build();
            launcher.execute(request, report);
        } finally {
            ConformanceSuite.target(null);
        }
        if (report.skipped > 0) {
            out.println(report.skipped + " skipped");
        }
        out.println(report.passed + " passed, " + report.failed + " failed");
        return report.failed == 0 && report.passed > 0 ? OK : FAILED;
    }

    /** The version of the pinned image ({@code qdrant/qdrant:v1.16.3} → {@code 1.16.3}), if known. */
    private static String testedVersion() {
        String image = System.getProperty("qdrant.image");
        if (image == null || !image.contains(":")) {
            return null;
        }
        String tag = image.substring(image.lastIndexOf(':') + 1);
        return tag.startsWith("v") ? tag.substring(1) : tag;
    }

    private static String reason(Exception e) {
        if (e instanceof TimeoutException) {
            return "no answer within " + PREFLIGHT.toSeconds() + " s";
        }
        Status status = Status.fromThrowable(e);
        String description = status.getDescription();
        if (status.getCause() != null && status.getCause().getMessage() != null) {
            // gRPC says "io exception"; the cause says what, e.g. "Connection refused"
            description = (description == null ? "" : description + ": ") + status.getCause().getMessage();
        }
        return status.getCode() + (description == null ? "" : " (" + description + ")");
    }

    /** One line per test, counted. */
    private static final class Report implements TestExecutionListener {
        private final PrintStream out;
        private int passed;
        private int failed;
        private int skipped;

        Report(PrintStream out) {
            this.out = out;
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            if (test.isTest()) {
                skipped++;
                out.println("  skip  " + name(test) + ": " + reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            switch (result.getStatus()) {
                case SUCCESSFUL -> {
                    if (test.isTest()) {
                        passed++;
                        out.println("  ok    " + name(test));
                    }
                }
                case ABORTED -> {
                    if (test.isTest()) {
                        skipped++;
                        out.println("  skip  " + name(test) + ": " + message(result));
                    }
                }
                case FAILED -> {
                    // A failing class (its setup or clean-up) counts once, like a test.
                    failed++;
                    out.println("  FAIL  " + name(test) + ": " + message(result));
                }
            }
        }

        private static String name(TestIdentifier test) {
            return test.getSource()
                    .filter(MethodSource.class::isInstance)
                    .map(s -> ((MethodSource) s).getJavaMethod())
                    .map(m -> m.getDeclaringClass().getSimpleName() + "." + m.getName())
                    .orElse(test.getDisplayName());
        }

        private static String message(TestExecutionResult result) {
            return result.getThrowable()
                    .map(t -> {
                        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
                        return m.strip().lines().findFirst().orElse("");
                    })
                    .orElse("");
        }
    }
}
