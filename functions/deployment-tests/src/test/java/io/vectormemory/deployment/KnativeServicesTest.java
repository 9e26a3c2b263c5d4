package io.vectormemory.deployment;

import io.vectormemory.http.ApiFunction;
import io.vectormemory.http.Route;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every function's Knative Service in every overlay: scales to zero on concurrency with a soft target under a
 * hard limit, bounded above; probes on the paths the functions serve (Route.LIVENESS_PATH, READINESS_PATH) and
 * on the port the container listens on, which is the port the image exposes; the function's own image; keys
 * from Secrets and QDRANT_URL from a ConfigMap; resources, timeout and a non-root, read-only container with a
 * writable /tmp; its own service account (where a private registry's pull secret goes).
 */
class KnativeServicesTest {
    private static final String AUTOSCALING = "autoscaling.knative.dev/";

    record Case(Deployment deployment, ApiFunction function) {
        Map<String, Object> service() {
            return deployment.service(function);
        }

        Map<String, Object> template() {
            return Manifests.map(service(), "spec", "template");
        }

        Map<String, Object> container() {
            List<Map<String, Object>> containers = Manifests.maps(template(), "spec", "containers");
            assertEquals(1, containers.size(), this + ": one container");
            return containers.getFirst();
        }

        String annotation(String name) {
            return Manifests.string(template(), "metadata", "annotations", AUTOSCALING + name);
        }

        @Override
        public String toString() {
            return deployment + "/" + function.id();
        }
    }

    static Stream<Case> cases() {
        return Deployment.all().stream().flatMap(d -> Stream.of(ApiFunction.values()).map(f -> new Case(d, f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scalesToZeroOnConcurrencyWithinBounds(Case c) {
        assertEquals("0", c.annotation("min-scale"), c + ": scales to zero");
        assertEquals("concurrency", c.annotation("metric"), c + ": autoscales on concurrency");
        assertEquals("kpa.autoscaling.knative.dev", c.annotation("class"), c + ": the Knative autoscaler (KPA)");
        int hard = ((Number) Manifests.at(c.template(), "spec", "containerConcurrency")
                .orElseThrow(() -> new AssertionError(c + ": no containerConcurrency"))).intValue();
        assertTrue(hard > 0, c + ": containerConcurrency 0 means unlimited");
        assertNotNull(c.annotation("target"), c + ": no soft target");
        int soft = Integer.parseInt(c.annotation("target"));
        assertTrue(soft > 0 && soft <= hard, c + ": soft target " + soft + " must be within containerConcurrency " + hard);
        assertNotNull(c.annotation("max-scale"), c + ": max-scale bounds what Qdrant receives");
        int max = Integer.parseInt(c.annotation("max-scale"));
        assertTrue(max >= 1 && max <= 20, c + ": max-scale " + max);
        assertNotNull(c.annotation("scale-down-delay"), c + ": a scale-down delay absorbs bursts");
        assertTrue(c.annotation("scale-down-delay").matches("\\d+(s|m|h)"), c + ": scale-down-delay is a duration");
        Object timeout = Manifests.at(c.template(), "spec", "timeoutSeconds").orElse(null);
        assertTrue(timeout instanceof Number n && n.intValue() > 0, c + ": request timeout (timeoutSeconds)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void probesHitTheFunctionsProbePathsOnItsPort(Case c) throws IOException {
        Map<String, Object> container = c.container();
        List<Map<String, Object>> ports = Manifests.maps(container, "ports");
        assertEquals(1, ports.size(), c + ": one container port (Knative sends traffic to it and sets $PORT)");
        int port = ((Number) ports.getFirst().get("containerPort")).intValue();
        assertEquals(imagePort(), port, c + ": containerPort differs from the port functions/Dockerfile exposes");
        assertEquals(Route.READINESS_PATH, Manifests.string(container, "readinessProbe", "httpGet", "path"), c + ": readiness path");
        assertEquals(Route.LIVENESS_PATH, Manifests.string(container, "livenessProbe", "httpGet", "path"), c + ": liveness path");
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            Object probePort = Manifests.at(container, probe, "httpGet", "port").orElse(null);
            assertEquals(port, probePort instanceof Number n ? n.intValue() : -1, c + ": " + probe + " port");
        }
        assertTrue(Manifests.maps(container, "env").stream().noneMatch(e -> "PORT".equals(e.get("name"))),
                c + ": PORT is Knative's to set");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runsItsOwnImage(Case c) {
        String image = Manifests.string(c.container(), "image");
        assertNotNull(image, c + ": no image");
        String bare = image.replaceFirst("@.*$", "").replaceFirst(":[^:/]*$", "");
        assertTrue(bare.endsWith("/" + c.function().id()) || bare.endsWith("-" + c.function().id()),
                c + ": image " + image + " is not the " + c.function().id() + " image");
        assertEquals(c.function().id(), Manifests.string(c.container(), "name"), c + ": container name");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keysComeFromSecretsAndQdrantUrlFromAConfigMap(Case c) {
        Map<String, Object> container = c.container();
        for (String key : List.of("SERVICE_API_KEY", "QDRANT_API_KEY")) {
            Map<String, Object> env = Manifests.maps(container, "env").stream().filter(e -> key.equals(e.get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError(c + ": no " + key));
            assertFalse(env.containsKey("value"), c + ": " + key + " must not be written in the manifest");
            String secret = Manifests.string(env, "valueFrom", "secretKeyRef", "name");
            assertNotNull(secret, c + ": " + key + " from a Secret");
            Map<String, Object> generated = c.deployment().find("", "Secret", Manifests.namespace(c.service()), secret)
                    .orElseThrow(() -> new AssertionError(c + ": Secret " + secret + " is not generated by the overlay"));
            assertTrue(Manifests.map(generated, "data").containsKey(Manifests.string(env, "valueFrom", "secretKeyRef", "key")),
                    c + ": Secret " + secret + " has no key " + Manifests.string(env, "valueFrom", "secretKeyRef", "key"));
        }
        List<String> configMaps = new ArrayList<>();
        Manifests.maps(container, "envFrom").forEach(e -> {
            String name = Manifests.string(e, "configMapRef", "name");
            if (name != null) {
                configMaps.add(name);
            }
        });
        boolean urlFromConfigMap = configMaps.stream().anyMatch(name -> c.deployment()
                .find("", "ConfigMap", Manifests.namespace(c.service()), name)
                .map(cm -> Manifests.map(cm, "data").containsKey("QDRANT_URL")).orElse(false))
                || Manifests.maps(container, "env").stream().anyMatch(e -> "QDRANT_URL".equals(e.get("name"))
                && Manifests.string(e, "valueFrom", "configMapKeyRef", "name") != null);
        assertTrue(urlFromConfigMap, c + ": QDRANT_URL from a ConfigMap the overlay creates");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hasResourcesAndRunsLockedDown(Case c) {
        Map<String, Object> container = c.container();
        for (String kind : List.of("requests", "limits")) {
            assertNotNull(Manifests.string(container, "resources", kind, "memory"), c + ": memory " + kind);
        }
        assertNotNull(Manifests.string(container, "resources", "requests", "cpu"), c + ": cpu request");
        assertEquals(Manifests.string(container, "resources", "requests", "memory"),
                Manifests.string(container, "resources", "limits", "memory"), c + ": memory request = limit (the heap is sized from it)");
        assertEquals(Boolean.TRUE, Manifests.at(container, "securityContext", "runAsNonRoot").orElse(null), c + ": runAsNonRoot");
        assertEquals(Boolean.TRUE, Manifests.at(container, "securityContext", "readOnlyRootFilesystem").orElse(null), c + ": read-only root");
        assertEquals(Boolean.FALSE, Manifests.at(container, "securityContext", "allowPrivilegeEscalation").orElse(null), c + ": no privilege escalation");
        assertEquals("cluster-local", Manifests.string(c.service(), "metadata", "labels", "networking.knative.dev/visibility"),
                c + ": only the public HTTPRoute exposes the functions");
    }

    /**
     * With a read-only root file system, gRPC's Netty cannot unpack its native epoll and TLS libraries into
     * java.io.tmpdir and silently falls back to NIO and JDK TLS (the AOT training run, with a writable /tmp,
     * used epoll): /tmp is a small emptyDir. Knative refuses a volume at /tmp before v1.13 (a reserved path
     * until then), so README.md and bin/deploy-check ask for v1.13 or newer.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hasASmallWritableTmp(Case c) throws IOException {
        Map<String, Object> mount = Manifests.maps(c.container(), "volumeMounts").stream()
                .filter(m -> "/tmp".equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError(c + ": no volume at /tmp under a read-only root file system"));
        assertFalse(Boolean.TRUE.equals(mount.get("readOnly")), c + ": /tmp mounted read-only");
        Map<String, Object> volume = Manifests.maps(c.template(), "spec", "volumes").stream()
                .filter(v -> Objects.equals(mount.get("name"), v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(c + ": no volume " + mount.get("name")));
        assertNotNull(Manifests.string(volume, "emptyDir", "sizeLimit"), c + ": /tmp is an emptyDir with a sizeLimit");
        assertFalse("Memory".equals(Manifests.string(volume, "emptyDir", "medium")),
                c + ": a memory-backed /tmp would count against the heap's memory limit");
        Matcher readme = Pattern.compile("Knative Serving v1\\.(\\d+) or newer").matcher(Files.readString(Manifests.ROOT.resolve("README.md")));
        assertTrue(readme.find() && Integer.parseInt(readme.group(1)) >= 13, "README.md must ask for Knative Serving v1.13 or newer");
        Matcher check = Pattern.compile("(?m)^KNATIVE_MIN = \\(1, (\\d+), 0\\)").matcher(Files.readString(Manifests.ROOT.resolve("bin/deploy-check")));
        assertTrue(check.find() && Integer.parseInt(check.group(1)) >= 13, "bin/deploy-check must check for Knative Serving v1.13 or newer");
    }

    /** Knative resolves tags to digests with the pull secrets of the pod's service account: the overlay creates it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runsAsAServiceAccountOfTheOverlay(Case c) {
        String account = Manifests.string(c.template(), "spec", "serviceAccountName");
        assertNotNull(account, c + ": no serviceAccountName: a private registry's pull secret has no place");
        Map<String, Object> sa = c.deployment().find("", "ServiceAccount", Manifests.namespace(c.service()), account)
                .orElseThrow(() -> new AssertionError(c + ": ServiceAccount " + account + " is not created by the overlay"));
        assertEquals(Boolean.FALSE, sa.get("automountServiceAccountToken"), c + ": the functions call no Kubernetes API");
    }

    /**
     * Without periodSeconds, Knative's queue-proxy retries a starting pod's readiness probe every 50 ms
     * (its aggressive probing); the comments that explain the setting say so.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void probeCommentsStateKnativesRetryInterval(Case c) throws IOException {
        String file = Files.readString(Manifests.KNATIVE.resolve("base/" + c.function().id() + ".yaml"));
        Matcher m = Pattern.compile("(?m)^\\s*#.*Knative.*?every (\\d+) ms").matcher(file);
        int found = 0;
        while (m.find()) {
            found++;
            assertEquals("50", m.group(1), c + ": " + m.group().strip());
        }
        if (Manifests.at(c.container(), "readinessProbe", "periodSeconds").isEmpty()) {
            assertTrue(found > 0, c + ": a readiness probe without periodSeconds, and no comment saying why");
        }
    }

    /** The port functions/Dockerfile exposes and sets as $PORT. */
    static int imagePort() throws IOException {
        String dockerfile = Files.readString(Manifests.ROOT.resolve("functions/Dockerfile"));
        Matcher expose = Pattern.compile("(?m)^EXPOSE (\\d+)$").matcher(dockerfile);
        Matcher env = Pattern.compile("(?m)\\bPORT=(\\d+)").matcher(dockerfile);
        assertTrue(expose.find() && env.find(), "functions/Dockerfile: EXPOSE and PORT=");
        assertEquals(expose.group(1), env.group(1), "functions/Dockerfile: EXPOSE and PORT differ");
        return Integer.parseInt(expose.group(1));
    }
}
