package io.vectormemory.tests;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Expect;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.JavaProcess;
import io.vectormemory.tests.support.PublicUrl;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.TempDirs;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/smoke-test BASE_URL API_KEY}, run as a deploy pipeline runs it, against packaged jars started as
 * processes: it passes against the local launcher and leaves the point counts as they were; a wrong URL, a wrong
 * key and an unhealthy service (a wrong Qdrant key, Qdrant down) each fail it with one line; in the split
 * deployment, behind one public URL, a search function that is not running fails it although {@code /health} is
 * green.
 */
class SmokeTestIT {
    private static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    private static final Path LOGS = ROOT.resolve("functions/tests/target/smoke-test-logs");
    private static final String KEY = "smoke-test-it-key-0123456789abcdef0123456";
    private static final String QDRANT_KEY = "smoke-test-it-qdrant-key";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private static final List<AutoCloseable> started = new ArrayList<>();
    private static final List<Path> tempDirs = new ArrayList<>();

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : started.reversed()) {
            c.close();
        }
        tempDirs.forEach(TempDirs::delete);
    }

    /** The script's exit status and output lines. */
    record Run(int exit, List<String> lines) {
        List<String> failures() {
            return lines.stream().filter(l -> l.startsWith("FAIL")).toList();
        }

        String last() {
            return lines.isEmpty() ? "" : lines.getLast();
        }
    }

    private static Run smokeTest(URI base, String key) {
        ProcessBuilder pb = new ProcessBuilder("python3", ROOT.resolve("bin/smoke-test").toString(), base.toString(),
                key).redirectErrorStream(true);
        pb.environment().put("SMOKE_TIMEOUT", "10");
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "smoke test still running");
            System.out.println("SMOKE TEST " + base + ":\n" + out);
            return new Run(p.exitValue(), out.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir(String prefix) {
        try {
            Path d = Files.createTempDirectory(prefix);
            tempDirs.add(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JavaProcess start(String name, String jar, Map<String, String> env) {
        JavaProcess p = JavaProcess.start(name, ROOT.resolve(jar), env, LOGS);
        started.add(p);
        return p;
    }

    private static long points(Http api, String namespace) {
        Response r = api.get("/collection/info" + (namespace == null ? "" : "?namespace=" + namespace));
        if (r.status() == 404) {
            return -1; // not created yet
        }
        Expect.status(r, 200);
        return r.object().getJsonNumber("points_count").longValueExact();
    }

    private static void failsWithOneLine(Run run, String... says) {
        assertEquals(1, run.exit(), run::toString);
        assertEquals(1, run.failures().size(), run::toString);
        for (String s : says) {
            assertTrue(run.failures().getFirst().contains(s), () -> "'" + s + "' not in " + run);
        }
        assertTrue(run.last().matches("\\d+ passed, 1 failed"), run::toString);
    }

    @Test
    void passesAgainstTheLocalLauncherLeavingTheCountsAsTheyWereAndFailsWithAWrongUrlOrKey() {
        int port = JavaProcess.freePort();
        JavaProcess local = start("local", "functions/local/target/local.jar", Map.of("PORT", Integer.toString(port),
                "LOCAL_DATA_DIR", tempDir("smoke-it-local").toString(), "SERVICE_API_KEY", KEY));
        URI base = URI.create("http://127.0.0.1:" + port);
        Http api = Http.to(base).apiKey(KEY);
        local.awaitOk(api, "/readyz", STARTUP);
        long user = Data.user();
        Expect.status(api.post("/memories", Data.memory(Data.memoryId(user), Vectors.random(1024, 1),
                Data.memoryPayload(user))), 200);
        long before = points(api, null);

        Run run = smokeTest(base, KEY);
        assertEquals(0, run.exit(), run::toString);
        assertEquals(List.of("health", "capabilities", "write", "read", "search", "delete", "gone"),
                run.lines().subList(0, run.lines().size() - 1).stream()
                        .map(l -> l.substring(6, l.indexOf(':'))).toList(), run::toString);
        assertTrue(run.lines().subList(0, 7).stream().allMatch(l -> l.startsWith("ok    ")), run::toString);
        assertEquals("7 passed, 0 failed", run.last(), run::toString);
        assertEquals(before, points(api, null), "the default collection changed");
        assertEquals(0, points(api, "smoke_test"), "the reserved namespace kept a point");

        Run wrongKey = smokeTest(base, "not-" + KEY);
        failsWithOneLine(wrongKey, "write", "401", "API key was refused");
        assertEquals("2 passed, 1 failed", wrongKey.last(), wrongKey::toString);
        assertEquals(0, points(api, "smoke_test"));

        Run wrongUrl = smokeTest(URI.create("http://127.0.0.1:" + JavaProcess.freePort()), KEY);
        failsWithOneLine(wrongUrl, "health", "cannot reach");
        Run notTheApi = smokeTest(URI.create(base + "/memories"), KEY);
        failsWithOneLine(notTheApi, "health", "not the vector-memory API's public URL");
    }

    @Test
    void failsThroughThePublicUrlOfTheSplitDeploymentWhenAFunctionCannotServe() {
        int backendPort = JavaProcess.freePort();
        JavaProcess backend = start("embedded-qdrant", "shared/embedded/target/embedded-qdrant.jar", Map.of(
                "QDRANT_GRPC_PORT", Integer.toString(backendPort),
                "EMBEDDED_DATA_DIR", tempDir("smoke-it-backend").toString(),
                "QDRANT_API_KEY", QDRANT_KEY));
        backend.awaitPort(backendPort, STARTUP);
        Map<String, URI> urls = new HashMap<>();
        Map<String, JavaProcess> functions = new HashMap<>();
        for (String f : List.of("upsert", "health", "health-wrong-key")) {
            int port = JavaProcess.freePort();
            String function = f.startsWith("health") ? "health" : f;
            functions.put(f, start(f, "functions/" + function + "/target/" + function + ".jar", Map.of(
                    "PORT", Integer.toString(port), "HOST", "127.0.0.1",
                    "QDRANT_URL", "http://127.0.0.1:" + backendPort,
                    "QDRANT_API_KEY", f.equals("health-wrong-key") ? "not-" + QDRANT_KEY : QDRANT_KEY,
                    "SERVICE_API_KEY", KEY, "QDRANT_VECTOR_DIMENSION", "8")));
            urls.put(f, URI.create("http://127.0.0.1:" + port));
        }
        functions.forEach((f, p) -> p.awaitOk(Http.to(urls.get(f)), "/readyz", STARTUP));
        URI nothing = URI.create("http://127.0.0.1:" + JavaProcess.freePort());

        // A search revision that cannot start: /health alone is green, the round trip is not.
        Map<ApiFunction, URI> noSearch = new EnumMap<>(Map.of(ApiFunction.UPSERT, urls.get("upsert"),
                ApiFunction.HEALTH, urls.get("health"), ApiFunction.SEARCH, nothing));
        PublicUrl front = PublicUrl.to(noSearch);
        started.add(front);
        Expect.status(Http.to(front.url()).get("/health"), 200);
        Run run = smokeTest(front.url(), KEY);
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.failures().stream().filter(l -> l.startsWith("FAIL  read:") || l.startsWith("FAIL  search:"))
                .allMatch(l -> l.contains("did it reach the search function?")), run::toString);
        assertEquals(2, run.failures().stream().filter(l -> l.startsWith("FAIL  read:")
                || l.startsWith("FAIL  search:")).count(), run::toString);
        // What was written is deleted all the same.
        assertTrue(run.lines().stream().anyMatch(l -> l.startsWith("ok    delete:")), run::toString);

        // A wrong QDRANT_API_KEY: Qdrant's own health check passes, the service cannot serve.
        PublicUrl wrongKey = PublicUrl.to(new EnumMap<>(Map.of(ApiFunction.UPSERT, urls.get("upsert"),
                ApiFunction.HEALTH, urls.get("health-wrong-key"), ApiFunction.SEARCH, nothing)));
        started.add(wrongKey);
        failsWithOneLine(smokeTest(wrongKey.url(), KEY), "health", "503 unhealthy", "QDRANT_API_KEY",
                "qdrant.status unauthorized");

        // Qdrant down.
        backend.kill();
        failsWithOneLine(smokeTest(front.url(), KEY), "health", "503 unhealthy", "qdrant.status disconnected");
    }
}
