package io.vectormemory.deployment;

import io.vectormemory.http.ApiFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every overlay builds and is complete: the three functions, the route, the Secrets they read generated from
 * key files that git ignores and whose committed examples hold no value. Where kubectl exists, the structural
 * rendering the other tests use agrees with {@code kubectl kustomize}.
 */
class OverlaysTest {
    static List<Path> overlays() {
        return Manifests.overlays();
    }

    @Test
    void thereAreDevAndProdOverlays() {
        List<String> names = overlays().stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.containsAll(List.of("dev", "prod")), "overlays: " + names);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void buildsWithEveryFunctionAndTheRoute(Path overlay) {
        Deployment d = Deployment.render(overlay);
        for (ApiFunction f : ApiFunction.values()) {
            d.service(f);
        }
        assertEquals(1, d.httpRoutes().size(), overlay + ": one public HTTPRoute");
        Set<String> keys = new TreeSet<>();
        for (Map<String, Object> o : d.objects()) {
            assertTrue(keys.add(Manifests.label(o)), overlay + ": " + Manifests.label(o) + " twice");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void secretsAreGeneratedFromIgnoredFilesWithEmptyExamples(Path overlay) throws IOException {
        PathMatcher ignored = ignoredByKnativeGitignore();
        List<Kustomization.Generated> secrets = Kustomization.at(overlay).generators().stream()
                .filter(g -> g.kind().equals("Secret")).toList();
        assertFalse(secrets.isEmpty(), overlay + ": generates no Secret");
        for (Kustomization.Generated g : secrets) {
            assertTrue(g.literals().isEmpty(), overlay + ": Secret " + g.name() + " has literals: a key in git");
            for (Path env : g.envFiles()) {
                assertTrue(ignored.matches(Manifests.KNATIVE.relativize(env)), env + " is not ignored by knative/.gitignore");
                Path example = env.resolveSibling(env.getFileName() + ".example");
                assertTrue(Files.exists(example), example + " is missing (it documents the file's keys)");
                for (String line : Files.readAllLines(example, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        assertTrue(line.strip().endsWith("="), example + ": an example must not hold a value: " + line);
                    }
                }
            }
        }
    }

    @Test
    void noCommittedManifestHoldsASecret() throws IOException {
        try (Stream<Path> files = Files.walk(Manifests.KNATIVE)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (Map<String, Object> o : Manifests.load(f)) {
                    assertFalse("Secret".equals(Manifests.kind(o)), f + ": a Secret object in git; generate it in an overlay");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void structuralRenderingAgreesWithKubectlKustomize(Path overlay) throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed: the structural rendering stands alone");
        Path copy = Files.createTempDirectory("knative");
        try {
            copyTree(Manifests.KNATIVE, copy);
            Path copiedOverlay = copy.resolve(Manifests.KNATIVE.relativize(overlay));
            for (Kustomization.Generated g : Kustomization.at(copiedOverlay).generators()) {
                for (Path env : g.envFiles()) {
                    if (!Files.exists(env)) {
                        Files.write(env, Kustomization.envLines(env));
                    }
                }
            }
            Process p = new ProcessBuilder("kubectl", "kustomize", copiedOverlay.toString()).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "kubectl kustomize " + overlay + ": " + err);
            List<Map<String, Object>> kubectl = Manifests.loadAll(out);
            List<Map<String, Object>> structural = Kustomization.at(copiedOverlay).build();
            List<String> differences = new ArrayList<>();
            diff("", byKey(structural), byKey(withoutHashes(kubectl, structural)), differences);
            assertTrue(differences.isEmpty(), overlay + ": the structural rendering (left) and kubectl kustomize (right) differ:\n"
                    + String.join("\n", differences.subList(0, Math.min(20, differences.size()))));
        } finally {
            try (Stream<Path> walk = Files.walk(copy)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** kubectl's output with the content hash taken off generated names, wherever those names appear. */
    private static List<Map<String, Object>> withoutHashes(List<Map<String, Object>> kubectl, List<Map<String, Object>> structural) {
        Map<String, String> renames = new HashMap<>();
        Set<String> generatedNames = new java.util.HashSet<>();
        structural.stream().filter(o -> Set.of("ConfigMap", "Secret").contains(Manifests.kind(o)))
                .forEach(o -> generatedNames.add(Manifests.name(o)));
        for (Map<String, Object> o : kubectl) {
            String name = Manifests.name(o);
            if (Set.of("ConfigMap", "Secret").contains(Manifests.kind(o)) && name.matches(".*-[a-z0-9]{10}")) {
                String bare = name.substring(0, name.length() - 11);
                if (generatedNames.contains(bare)) {
                    renames.put(name, bare);
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : kubectl) {
            @SuppressWarnings("unchecked")
            Map<String, Object> renamed = (Map<String, Object>) rename(o, renames);
            out.add(renamed);
        }
        return out;
    }

    private static Object rename(Object node, Map<String, String> renames) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k.toString(), rename(v, renames)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(v -> rename(v, renames)).toList();
        }
        if (node instanceof String s && renames.containsKey(s)) {
            return renames.get(s);
        }
        return node;
    }

    private static void diff(String path, Object left, Object right, List<String> out) {
        if (left instanceof Map<?, ?> l && right instanceof Map<?, ?> r) {
            Set<Object> keys = new TreeSet<>(java.util.Comparator.comparing(Object::toString));
            keys.addAll(l.keySet());
            keys.addAll(r.keySet());
            for (Object k : keys) {
                diff(path + "/" + k, l.get(k), r.get(k), out);
            }
        } else if (left instanceof List<?> l && right instanceof List<?> r && l.size() == r.size()) {
            for (int i = 0; i < l.size(); i++) {
                diff(path + "/" + i, l.get(i), r.get(i), out);
            }
        } else if (!java.util.Objects.equals(left, right)) {
            out.add(path + ": " + left + " <> " + right);
        }
    }

    private static Map<String, Object> byKey(List<Map<String, Object>> objects) {
        Map<String, Object> out = new TreeMap<>();
        objects.forEach(o -> out.put(Manifests.label(o), normalize(o)));
        return out;
    }

    // Lists and maps compared by value, whatever their Java types.
    private static Object normalize(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(k.toString(), normalize(v)));
            return out;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(OverlaysTest::normalize).toList();
        }
        return node;
    }

    private static PathMatcher ignoredByKnativeGitignore() throws IOException {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String line : Files.readAllLines(Manifests.KNATIVE.resolve(".gitignore"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + line.strip()));
            }
        }
        return p -> matchers.stream().anyMatch(m -> m.matches(p));
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".env")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
