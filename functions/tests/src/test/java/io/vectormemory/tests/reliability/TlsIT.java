package io.vectormemory.tests.reliability;

import io.vectormemory.tests.support.Backend;
import io.vectormemory.tests.support.Data;
import io.vectormemory.tests.support.JavaProcess;
import io.vectormemory.tests.support.SelfSignedCertificate;
import io.vectormemory.tests.support.TcpProxy;
import io.vectormemory.tests.support.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on both sides of a function, with certificates made in the test: the packaged function serves HTTPS from PEM
 * files ({@code TLS_CERT_PATH}, {@code TLS_KEY_PATH}), and reaches Qdrant over TLS ({@code QDRANT_URL=https://})
 * through a TLS-terminating proxy whose certificate is signed by nobody the JVM trusts, which works exactly when
 * that certificate is given as {@code QDRANT_CA_CERT}.
 */
class TlsIT {
    private static final String KEY = "tls-test-service-key-0123456789abcdef012345";
    private static final int DIM = 8;

    private static Fleet fleet;
    private static SelfSignedCertificate listenerCert;
    private static SelfSignedCertificate qdrantCert;
    private static TcpProxy qdrantTls;
    private static int trustedPort;
    private static int untrustedPort;

    @BeforeAll
    static void start() {
        fleet = new Fleet("TlsIT");
        Path dir = fleet.tempDir("tls-certs");
        listenerCert = SelfSignedCertificate.create(dir, "function");
        qdrantCert = SelfSignedCertificate.create(dir, "qdrant");
        qdrantTls = TcpProxy.tlsTo(Backend.url().getPort(), qdrantCert.server());
        String qdrantUrl = "https://localhost:" + qdrantTls.port();

        trustedPort = JavaProcess.freePort();
        Map<String, String> env = Fleet.functionEnv(trustedPort, qdrantUrl, Backend.QDRANT_API_KEY, KEY, DIM);
        env.put("QDRANT_COLLECTION_NAME", "tls_memories");
        env.put("TLS_CERT_PATH", listenerCert.certificatePem().toString());
        env.put("TLS_KEY_PATH", listenerCert.privateKeyPem().toString());
        env.put("QDRANT_CA_CERT", qdrantCert.certificatePem().toString());
        JavaProcess trusted = fleet.function("upsert-tls", "upsert", env);

        untrustedPort = JavaProcess.freePort();
        Map<String, String> without = Fleet.functionEnv(untrustedPort, qdrantUrl, Backend.QDRANT_API_KEY, KEY, DIM);
        without.put("HEALTH_TIMEOUT_MS", "2000");
        JavaProcess untrusted = fleet.function("health-without-ca", "health", without);

        trusted.awaitPort(trustedPort, Fleet.STARTUP);
        untrusted.awaitPort(untrustedPort, Fleet.STARTUP);
    }

    @AfterAll
    static void stop() {
        if (qdrantTls != null) {
            qdrantTls.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    private static HttpResponse<String> send(SSLContext tls, String url, String method, String body)
            throws IOException, InterruptedException {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            b.sslContext(tls);
        }
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("X-API-Key", KEY);
        if (body != null) {
            r.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try (HttpClient client = b.build()) {
            return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void theFunctionServesHttpsAndWritesToQdrantOverTlsWithThePrivateCa() throws Exception {
        String base = "https://localhost:" + trustedPort;
        SSLContext client = listenerCert.trustingClient();
        assertEquals(200, send(client, base + "/readyz", "GET", null).statusCode());

        long user = Data.user();
        String id = Data.memoryId(user);
        String body = Data.memory(id, Vectors.random(DIM, 3), Data.memoryPayload(user));
        HttpResponse<String> write = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            write = send(client, base + "/memories", "POST", body);
            if (write.statusCode() != 503) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(200, write.statusCode(), write::body);
        assertTrue(qdrantTls.connections() > 0, "no connection went through the TLS proxy");
        System.out.println("TLS: upsert over HTTPS (listener certificate from PEM) stored " + id
                + " in Qdrant over TLS (QDRANT_CA_CERT): " + write.statusCode() + " " + write.body());

        // Plain HTTP on the HTTPS port gets nowhere; neither does a client that does not trust the certificate.
        assertThrows(IOException.class, () -> send(null, "http://localhost:" + trustedPort + "/readyz", "GET", null));
        Exception untrusting = assertThrows(IOException.class,
                () -> send(SSLContext.getDefault(), base + "/readyz", "GET", null));
        assertTrue(untrusting instanceof SSLHandshakeException || untrusting.getCause() instanceof SSLHandshakeException,
                untrusting::toString);
    }

    @Test
    void withoutTheCaCertificateQdrantIsNotTrusted() throws Exception {
        HttpResponse<String> health = send(null, "http://127.0.0.1:" + untrustedPort + "/health", "GET", null);
        System.out.println("TLS: without QDRANT_CA_CERT /health → " + health.statusCode() + " " + health.body());
        assertEquals(503, health.statusCode(), health::body);
        assertTrue(health.body().contains("\"status\":\"unhealthy\""), health::body);
    }
}
