package io.vectormemory.deployment;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes objects as plain YAML trees, and the paths of the repository they come from. */
final class Manifests {
    static final Path ROOT = Path.of(Objects.requireNonNull(System.getProperty("repo.root"),
            "system property repo.root (set by the pom)")).toAbsolutePath().normalize();
    static final Path KNATIVE = ROOT.resolve("knative");
    static final Path OVERLAYS = KNATIVE.resolve("overlays");

    private Manifests() {
    }

    /** Every YAML document of a file that is not empty. */
    static List<Map<String, Object>> load(Path file) {
        try {
            return loadAll(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> loadAll(String text) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : yaml.loadAll(text)) {
            if (doc != null) {
                out.add((Map<String, Object>) doc);
            }
        }
        return out;
    }

    static Object loadOne(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    /** The overlays under knative/overlays, by name. */
    static List<Path> overlays() {
        try (var dirs = Files.list(OVERLAYS)) {
            return dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at a path of map keys and list indexes, if every step exists. */
    @SuppressWarnings("unchecked")
    static Optional<Object> at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (step instanceof Integer i && current instanceof List<?> list && i < list.size()) {
                current = list.get(i);
            } else if (step instanceof String key && current instanceof Map<?, ?> map && map.containsKey(key)) {
                current = ((Map<String, Object>) map).get(key);
            } else {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(current);
    }

    static String string(Object node, Object... path) {
        return at(node, path).map(String::valueOf).orElse(null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, Object... path) {
        return at(node, path).filter(Map.class::isInstance).map(m -> (Map<String, Object>) m).orElse(Map.of());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object node, Object... path) {
        return at(node, path).filter(List.class::isInstance).map(l -> (List<Map<String, Object>>) l).orElse(List.of());
    }

    static String kind(Map<String, Object> object) {
        return string(object, "kind");
    }

    static String name(Map<String, Object> object) {
        return string(object, "metadata", "name");
    }

    static String namespace(Map<String, Object> object) {
        return string(object, "metadata", "namespace");
    }

    /** "serving.knative.dev" of "serving.knative.dev/v1"; "" for the core group. */
    static String group(Map<String, Object> object) {
        String apiVersion = string(object, "apiVersion");
        return apiVersion != null && apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String group, String kind) {
        return objects.stream().filter(o -> kind.equals(kind(o)) && group.equals(group(o))).toList();
    }

    static String label(Map<String, Object> object) {
        return kind(object) + " " + namespace(object) + "/" + name(object);
    }
}
