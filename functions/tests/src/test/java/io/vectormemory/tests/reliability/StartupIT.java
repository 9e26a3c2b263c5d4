package io.vectormemory.tests.reliability;

import io.vectormemory.tests.support.JavaProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail-closed startup, on the packaged jar as a process (the Rust service started open without a key): a function
 * refuses to start (exit code 2, one clear line naming the variable, never the key) without a key
 * unless auth is disabled explicitly, with a key under 32 characters in production mode, and with unusable TLS
 * settings; the explicit opt-outs start and say so. (That no log holds a secret is checked on the processes of
 * {@link QdrantFaultsIT}, which see the most failure paths.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartupIT {
    private static final String SERVICE_KEY = "svc-" + Fleet.randomKey(40);
    private static final String QDRANT_KEY = "qdrant-" + Fleet.randomKey(32);

    private static Fleet fleet;
    private static Path garbage;

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet("StartupIT");
        garbage = fleet.tempDir("startup").resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n",
                StandardCharsets.US_ASCII);
    }

    @AfterAll
    static void stop() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static Map<String, String> base(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", Integer.toString(port));
        env.put("HOST", "127.0.0.1");
        env.put("QDRANT_URL", "http://127.0.0.1:1");
        env.put("QDRANT_API_KEY", QDRANT_KEY);
        return env;
    }

    @Test
    @Order(1)
    void startupIsRefusedWithoutAUsableKeyOrWithBrokenTlsSettings() {
        String shortKey = "short-" + Fleet.randomKey(25); // 31 characters
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("no SERVICE_API_KEY", Map.of());
        cases.put("blank SERVICE_API_KEY", Map.of("SERVICE_API_KEY", " , "));
        cases.put("31-character key in production mode", Map.of("SERVICE_API_KEY", shortKey));
        cases.put("31-character key, production mode explicit", Map.of("SERVICE_API_KEY", shortKey,
                "SERVICE_MODE", "production"));
        cases.put("second rotated key too short", Map.of("SERVICE_API_KEY", SERVICE_KEY + "," + shortKey));
        cases.put("TLS certificate without key", Map.of("SERVICE_API_KEY", SERVICE_KEY, "TLS_CERT_PATH",
                garbage.toString()));
        cases.put("TLS files that are not PEM", Map.of("SERVICE_API_KEY", SERVICE_KEY, "TLS_CERT_PATH",
                garbage.toString(), "TLS_KEY_PATH", garbage.toString()));
        cases.put("QDRANT_CA_CERT not PEM", Map.of("SERVICE_API_KEY", SERVICE_KEY, "QDRANT_URL",
                "https://localhost:6334", "QDRANT_CA_CERT", garbage.toString()));
        cases.put("QDRANT_CA_CERT with plain http", Map.of("SERVICE_API_KEY", SERVICE_KEY, "QDRANT_CA_CERT",
                garbage.toString()));
        cases.put("AUTH_DISABLED not a boolean", Map.of("AUTH_DISABLED", "yes please"));
        List<String> failures = new ArrayList<>();
        Map<String, JavaProcess> started = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            Map<String, String> env = base(JavaProcess.freePort());
            env.putAll(c.getValue());
            started.put(c.getKey(), fleet.function("refused-" + ++n, "upsert", env));
        }
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            JavaProcess p = started.get(c.getKey());
            int code = p.awaitExit(Duration.ofSeconds(90));
            String out = p.logText();
            String last = out.strip().lines().reduce((a, b) -> b).orElse("");
            System.out.println("STARTUP: " + c.getKey() + " → exit " + code + ": " + last);
            if (code != 2) {
                failures.add(c.getKey() + ": exit code " + code + "\n" + p.logTail());
            }
            if (out.contains(shortKey) || out.contains(SERVICE_KEY)) {
                failures.add(c.getKey() + ": the key appears in the output");
            }
            if (out.contains("Exception") || out.contains("\tat ")) {
                failures.add(c.getKey() + ": a stack trace instead of a clear line\n" + p.logTail());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    @Order(2)
    void explicitOptOutsStartAndSayWhatTheyDo() {
        int open = JavaProcess.freePort();
        Map<String, String> env = base(open);
        env.put("AUTH_DISABLED", "true");
        JavaProcess noAuth = fleet.function("auth-disabled", "health", env);
        int dev = JavaProcess.freePort();
        Map<String, String> devEnv = base(dev);
        devEnv.put("SERVICE_MODE", "development");
        devEnv.put("SERVICE_API_KEY", "dev-key");
        JavaProcess development = fleet.function("development-short-key", "health", devEnv);
        noAuth.awaitOk(Fleet.http(open), "/readyz", Fleet.STARTUP);
        development.awaitOk(Fleet.http(dev), "/readyz", Fleet.STARTUP);
        assertEquals(503, Fleet.http(open).get("/service/info").status(), "open without a key (Qdrant is absent)");
        assertEquals(401, Fleet.http(dev).get("/service/info").status());
        assertEquals(200, Fleet.http(dev).apiKey("dev-key").get("/capabilities").status());
        assertTrue(noAuth.logText().contains("authentication is DISABLED"), noAuth::logTail);
        System.out.println("STARTUP: AUTH_DISABLED=true starts open and warns; SERVICE_MODE=development accepts a "
                + "7-character key");
    }
}
