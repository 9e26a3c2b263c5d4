package io.vectormemory.tests.reliability;

import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.Http;
import io.vectormemory.tests.support.JavaProcess;
import io.vectormemory.tests.support.Response;
import io.vectormemory.tests.support.Vectors;
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
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail-closed startup and secret-free logs, on the packaged jars as processes (upstream §9.2.1 and §9.2.3: the
 * Rust service started open without a key and logged its secrets).
 * <ul>
 * <li>A function refuses to start (exit code 2, one line naming the variable) without a key unless auth is
 * disabled explicitly, with a key under 32 characters in production mode, and with unusable TLS settings.</li>
 * <li>Everything the processes print, from startup through traffic (right and wrong keys, bad requests, Qdrant
 * refusing a wrong key, Qdrant killed) to shutdown, holds neither {@code SERVICE_API_KEY} nor
 * {@code QDRANT_API_KEY}, nor any key a client presented.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StartupAndSecretsIT {
    private static final String SERVICE_KEY = "svc-" + random(40);
    private static final String ROTATED_KEY = "svc-rotated-" + random(36);
    private static final String QDRANT_KEY = "qdrant-" + random(32);
    private static final String WRONG_QDRANT_KEY = "qdrant-wrong-" + random(32);
    private static final String PRESENTED_WRONG_KEY = SERVICE_KEY.substring(0, SERVICE_KEY.length() - 1) + "!";
    private static final int DIM = 8;

    private static Fleet fleet;
    private static Path garbage;

    private static String random(int n) {
        java.security.SecureRandom r = new java.security.SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(r.nextInt(36)));
        }
        return b.toString();
    }

    @BeforeAll
    static void start() throws Exception {
        fleet = new Fleet("StartupAndSecretsIT");
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
        String shortKey = "short-" + random(25); // 31 characters
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

    @Test
    @Order(3)
    void noSecretAppearsInAnyLogFromStartupThroughTrafficFailuresAndShutdown() {
        Path data = fleet.tempDir("secrets-backend");
        int backendPort = JavaProcess.freePort();
        JavaProcess backend = fleet.backend("backend", backendPort, data, QDRANT_KEY);
        String qdrant = "http://127.0.0.1:" + backendPort;
        Map<String, Http> http = new LinkedHashMap<>();
        List<JavaProcess> functions = new ArrayList<>();
        for (String f : List.of("upsert", "search", "health")) {
            int port = JavaProcess.freePort();
            Map<String, String> env = Fleet.functionEnv(port, qdrant, QDRANT_KEY, SERVICE_KEY + "," + ROTATED_KEY, DIM);
            functions.add(fleet.function(f, f, env));
            http.put(f, Fleet.http(port));
        }
        int wrongPort = JavaProcess.freePort();
        JavaProcess wrongQdrantKey = fleet.function("search-wrong-qdrant-key", "search",
                Fleet.functionEnv(wrongPort, qdrant, WRONG_QDRANT_KEY, SERVICE_KEY, DIM));
        for (int i = 0; i < functions.size(); i++) {
            functions.get(i).awaitOk(http.values().stream().toList().get(i), "/readyz", Fleet.STARTUP);
        }
        wrongQdrantKey.awaitOk(Fleet.http(wrongPort), "/readyz", Fleet.STARTUP);

        long user = Data.user();
        String id = Data.memoryId(user);
        Http upsert = http.get("upsert");
        Http search = http.get("search");
        Fleet.untilOk(() -> upsert.apiKey(SERVICE_KEY).post("/memories", Data.memory(id, Vectors.random(DIM, 1),
                Data.memoryPayload(user))), Duration.ofSeconds(60));
        Fleet.untilOk(() -> search.bearer(ROTATED_KEY).get("/memories/" + id), Duration.ofSeconds(60));
        int traffic = 2;
        for (Http h : http.values()) {
            for (String key : List.of(PRESENTED_WRONG_KEY, QDRANT_KEY, "")) {
                h.apiKey(key).get("/service/info");
                h.bearer(key).post("/memories/search", "{\"query_vector\":[1],\"user_id\":1}");
                h.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + key).getBytes(StandardCharsets.UTF_8))).get("/collection/info");
                traffic += 3;
            }
            h.apiKey(SERVICE_KEY).post("/memories", "{\"point_id\":");
            h.apiKey(SERVICE_KEY).send("POST", "/memories", "text/plain", "x".getBytes(StandardCharsets.UTF_8));
            h.apiKey(SERVICE_KEY).get("/nowhere");
            h.get("/health");
            traffic += 4;
        }
        Response refused = Fleet.http(wrongPort).apiKey(SERVICE_KEY).get("/memories/" + id);
        traffic++;
        assertEquals(503, refused.status(), "Qdrant refuses the wrong key: " + refused);
        backend.kill();
        for (Http h : http.values()) {
            h.apiKey(SERVICE_KEY).get("/collection/info");
            h.apiKey(SERVICE_KEY).post("/memories", Data.memory(Data.memoryId(user), Vectors.random(DIM, 2),
                    Data.memoryPayload(user)));
            h.get("/health");
            traffic += 3;
        }
        for (JavaProcess p : functions) {
            assertTrue(p.terminate(Duration.ofSeconds(30)), p.name() + " did not stop");
        }
        assertTrue(wrongQdrantKey.terminate(Duration.ofSeconds(30)));

        String logs = fleet.allLogs();
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("SERVICE_API_KEY", SERVICE_KEY);
        secrets.put("SERVICE_API_KEY (rotated)", ROTATED_KEY);
        secrets.put("QDRANT_API_KEY", QDRANT_KEY);
        secrets.put("QDRANT_API_KEY (wrong one)", WRONG_QDRANT_KEY);
        secrets.put("a key a client presented", PRESENTED_WRONG_KEY);
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            String v = s.getValue();
            // Whole, in part (a 16-character stretch), or base64-encoded.
            for (String form : List.of(v, v.substring(0, 16), v.substring(v.length() - 16),
                    Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)))) {
                if (logs.contains(form)) {
                    leaks.add(s.getKey() + " appears in the logs as '" + form + "'");
                }
            }
        }
        long lines = logs.lines().count();
        System.out.println("SECRETS: " + fleet.processes().size() + " processes, " + traffic + " requests of traffic, "
                + "backend killed, all stopped: " + lines + " log lines (" + logs.length() / 1024 + " KiB) scanned for "
                + secrets.size() + " secrets, " + leaks.size() + " found");
        assertTrue(logs.contains("qdrant_api_key=<set>"), "the startup line reports the key as set");
        assertTrue(logs.contains("Qdrant refused our credentials"), "the wrong Qdrant key was noticed");
        assertFalse(lines < 50, "suspiciously little output to scan: " + lines + " lines");
        assertEquals(List.of(), leaks);
    }
}
