package io.vectormemory.tests.reliability;

import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.JavaProcess;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.TempDirs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged artefacts of one test class as OS processes: the standalone embedded backend, the function jars,
 * the local launcher. Logs go to {@code functions/tests/target/reliability-logs/<test>/}; everything is stopped
 * and the temporary folders removed on close.
 */
final class Fleet implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("project.root", "../..")).toAbsolutePath().normalize();
    /** The standalone backend; {@code -Dembedded.jar=...} runs another build of it. */
    static final Path EMBEDDED_JAR = Path.of(System.getProperty("embedded.jar",
            ROOT.resolve("shared/embedded/target/embedded-qdrant.jar").toString()));
    static final Duration STARTUP = Duration.ofSeconds(90);

    private final Path logs;
    private final List<JavaProcess> processes = new ArrayList<>();
    private final List<Path> tempDirs = new ArrayList<>();

    Fleet(String test) {
        this.logs = ROOT.resolve("functions/tests/target/reliability-logs/" + test);
        TempDirs.delete(logs);
    }

    /** A random key of {@code n} lowercase letters and digits, for the processes a test starts. */
    static String randomKey(int n) {
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(r.nextInt(36)));
        }
        return b.toString();
    }

    Path logs() {
        return logs;
    }

    Path tempDir(String prefix) {
        try {
            Path d = Files.createTempDirectory(prefix);
            tempDirs.add(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path jar(String function) {
        return ROOT.resolve("functions/" + function + "/target/" + function + ".jar");
    }

    /** The standalone backend on a port, with a data folder and a key; returns once its port accepts. */
    JavaProcess backend(String name, int port, Path data, String apiKey) {
        Map<String, String> env = new HashMap<>(Map.of("QDRANT_GRPC_PORT", Integer.toString(port),
                "EMBEDDED_DATA_DIR", data.toString()));
        if (apiKey != null) {
            env.put("QDRANT_API_KEY", apiKey);
        }
        JavaProcess p = start(name, EMBEDDED_JAR, env, List.of());
        p.awaitPort(port, STARTUP);
        return p;
    }

    /** A function jar (upsert, search, health, local); does not wait for it. */
    JavaProcess function(String name, String function, Map<String, String> env) {
        return start(name, jar(function), env, List.of());
    }

    JavaProcess start(String name, Path jar, Map<String, String> env, List<String> jvmOptions) {
        JavaProcess p = JavaProcess.start(name, jar, env, logs, jvmOptions);
        processes.add(p);
        return p;
    }

    /** The environment of a function process in these tests. */
    static Map<String, String> functionEnv(int port, String qdrantUrl, String qdrantKey, String serviceKey,
                                           int dimension) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("HOST", "127.0.0.1");
        env.put("QDRANT_URL", qdrantUrl);
        if (qdrantKey != null) {
            env.put("QDRANT_API_KEY", qdrantKey);
        }
        env.put("SERVICE_API_KEY", serviceKey);
        env.put("QDRANT_VECTOR_DIMENSION", Integer.toString(dimension));
        return env;
    }

    static Http http(int port) {
        return Http.to(URI.create("http://127.0.0.1:" + port)).timeout(Duration.ofSeconds(20));
    }

    /** Repeats a request while it answers 503 (Qdrant not reached yet); fails unless it ends in 200. */
    static Response untilOk(Supplier<Response> request, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        String error = null;
        while (System.nanoTime() < deadline) {
            try {
                last = request.get();
                error = null;
                if (last.status() == 200) {
                    return last;
                }
                if (last.status() != 503) {
                    break;
                }
            } catch (UncheckedIOException e) {
                error = e.getMessage();
            }
            sleep(200);
        }
        return fail("not 200 within " + timeout + ": " + (error != null ? error : last));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<JavaProcess> processes() {
        return List.copyOf(processes);
    }

    /** Everything every process of this fleet wrote so far. */
    String allLogs() {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path f : files.sorted().toList()) {
                b.append(Files.readString(f)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toString();
    }

    @Override
    public void close() {
        for (JavaProcess p : processes.reversed()) {
            p.close();
        }
        tempDirs.forEach(TempDirs::delete);
    }
}
