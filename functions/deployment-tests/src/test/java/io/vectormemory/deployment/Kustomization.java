package io.vectormemory.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A structural rendering of a kustomization, for machines without kubectl: the subset of kustomize that
 * knative/ uses (resources, ConfigMap and Secret generators with literals, env files, files and the options labels
 * and disableNameSuffixHash, images, JSON 6902 patches), and a failure for
 * anything else, so a kustomization that this cannot follow never passes unchecked. Generated names get no
 * content hash (kustomize adds one and rewrites the references; both sides keep agreeing here).
 * Where kubectl exists, {@code OverlaysTest} compares this with {@code kubectl kustomize}.
 */
final class Kustomization {
    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "configurations",
            "configMapGenerator", "secretGenerator", "images", "patches");

    /** Names of the Secrets and ConfigMaps a kustomization generates, with the env files they come from. */
    record Generated(String kind, String name, String namespace, List<String> literals, List<Path> envFiles) {
    }

    private final Path dir;
    private final Map<String, Object> spec;

    private Kustomization(Path dir) {
        this.dir = dir;
        List<Map<String, Object>> docs = Manifests.load(dir.resolve("kustomization.yaml"));
        if (docs.size() != 1) {
            throw new IllegalStateException(dir + "/kustomization.yaml: expected one document");
        }
        this.spec = docs.getFirst();
        for (String key : spec.keySet()) {
            if (!SUPPORTED.contains(key)) {
                throw new IllegalStateException(dir + "/kustomization.yaml: field '" + key
                        + "' is not followed by the structural rendering (Kustomization.java); extend it or do without");
            }
        }
    }

    static Kustomization at(Path dir) {
        return new Kustomization(dir);
    }

    /** Every generator of this kustomization and of its bases. */
    List<Generated> generators() {
        List<Generated> out = new ArrayList<>();
        for (String r : strings(spec.get("resources"))) {
            Path p = dir.resolve(r).normalize();
            if (Files.isDirectory(p)) {
                out.addAll(at(p).generators());
            }
        }
        for (String key : List.of("configMapGenerator", "secretGenerator")) {
            for (Map<String, Object> g : Manifests.maps(spec, key)) {
                out.add(new Generated(key.equals("configMapGenerator") ? "ConfigMap" : "Secret",
                        Manifests.string(g, "name"), Manifests.string(g, "namespace"), strings(g.get("literals")),
                        strings(g.get("envs")).stream().map(e -> dir.resolve(e).normalize()).toList()));
            }
        }
        return out;
    }

    /**
     * The objects this kustomization produces. Env files of generators that do not exist (keys are never in
     * git) are read as if they held each key of their {@code .env.example} with a stand-in value.
     */
    List<Map<String, Object>> build() {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String r : strings(spec.get("resources"))) {
            Path p = dir.resolve(r).normalize();
            if (Files.isDirectory(p)) {
                objects.addAll(at(p).build());
            } else {
                objects.addAll(Manifests.load(p));
            }
        }
        generate(objects, "configMapGenerator", "ConfigMap");
        generate(objects, "secretGenerator", "Secret");
        images(objects);
        patches(objects);
        return objects;
    }

    private void generate(List<Map<String, Object>> objects, String key, String kind) {
        for (Map<String, Object> g : Manifests.maps(spec, key)) {
            String name = Manifests.string(g, "name");
            String namespace = Manifests.string(g, "namespace");
            Map<String, String> data = new LinkedHashMap<>();
            for (String literal : strings(g.get("literals"))) {
                put(data, literal);
            }
            for (String env : strings(g.get("envs"))) {
                for (String line : envLines(dir.resolve(env))) {
                    put(data, line);
                }
            }
            for (String file : strings(g.get("files"))) {
                Path path = dir.resolve(file);
                try {
                    data.put(path.getFileName().toString(), Files.readString(path, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            Map<String, Object> options = g.containsKey("options") ? Manifests.map(g, "options") : Map.of();
            for (String option : options.keySet()) {
                if (!Set.of("labels", "disableNameSuffixHash").contains(option)) {
                    throw new IllegalStateException(dir + ": generator " + name + ": option '" + option
                            + "' is not followed by the structural rendering");
                }
            }
            for (String unsupported : List.of("type")) {
                if (g.containsKey(unsupported)) {
                    throw new IllegalStateException(dir + ": generator " + name + ": '" + unsupported
                            + "' is not followed by the structural rendering");
                }
            }
            String behavior = g.getOrDefault("behavior", "create").toString();
            Map<String, Object> existing = objects.stream()
                    .filter(o -> kind.equals(Manifests.kind(o)) && name.equals(Manifests.name(o))
                            && java.util.Objects.equals(namespace, Manifests.namespace(o)))
                    .findFirst().orElse(null);
            switch (behavior) {
                case "create" -> {
                    if (existing != null) {
                        throw new IllegalStateException(dir + ": " + kind + " " + name + " generated twice");
                    }
                    Map<String, Object> metadata = new LinkedHashMap<>();
                    metadata.put("name", name);
                    if (namespace != null) {
                        metadata.put("namespace", namespace);
                    }
                    if (options.containsKey("labels")) {
                        metadata.put("labels", new LinkedHashMap<>(Manifests.map(options, "labels")));
                    }
                    Map<String, Object> object = new LinkedHashMap<>();
                    object.put("apiVersion", "v1");
                    object.put("kind", kind);
                    object.put("metadata", metadata);
                    if (kind.equals("Secret")) {
                        object.put("type", "Opaque");
                    }
                    object.put("data", encode(kind, data));
                    objects.add(object);
                }
                case "merge", "replace" -> {
                    if (existing == null) {
                        throw new IllegalStateException(dir + ": " + behavior + " of " + kind + " " + name
                                + ", which no base generates");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> current = (Map<String, Object>) existing.computeIfAbsent("data",
                            k -> new LinkedHashMap<>());
                    if (behavior.equals("replace")) {
                        current.clear();
                    }
                    current.putAll(encode(kind, data));
                }
                default -> throw new IllegalStateException(dir + ": generator behavior " + behavior);
            }
        }
    }

    private static Map<String, Object> encode(String kind, Map<String, String> data) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.forEach((k, v) -> out.put(k, kind.equals("Secret")
                ? Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)) : v));
        return out;
    }

    private static void put(Map<String, String> data, String line) {
        int eq = line.indexOf('=');
        if (eq <= 0) {
            throw new IllegalStateException("not KEY=VALUE: " + line);
        }
        data.put(line.substring(0, eq).strip(), line.substring(eq + 1));
    }

    /** KEY=VALUE lines of an env file; a missing one stands in for its .env.example, with stand-in values. */
    static List<String> envLines(Path file) {
        try {
            if (Files.exists(file)) {
                return lines(Files.readString(file));
            }
            Path example = file.resolveSibling(file.getFileName() + ".example");
            if (!Files.exists(example)) {
                throw new IllegalStateException(file + " is missing and has no " + example.getFileName());
            }
            return lines(Files.readString(example)).stream()
                    .map(l -> l.substring(0, l.indexOf('=') + 1) + "stand-in-0123456789abcdef0123456789abcdef")
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @SuppressWarnings("unchecked")
    private void images(List<Map<String, Object>> objects) {
        for (Map<String, Object> image : Manifests.maps(spec, "images")) {
            String name = Manifests.string(image, "name");
            for (Map<String, Object> o : objects) {
                for (Map<String, Object> container : containers(o)) {
                    String current = String.valueOf(container.get("image"));
                    String bare = current.replaceFirst("@.*$", "").replaceFirst(":[^:/]*$", "");
                    if (!bare.equals(name)) {
                        continue;
                    }
                    String newName = image.containsKey("newName") ? image.get("newName").toString() : bare;
                    String tail = current.substring(bare.length());
                    if (image.containsKey("digest")) {
                        tail = "@" + image.get("digest");
                    } else if (image.containsKey("newTag")) {
                        tail = ":" + image.get("newTag");
                    }
                    container.put("image", newName + tail);
                }
            }
        }
    }

    /** Every container and init container anywhere in an object. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(Object node) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ((k.equals("containers") || k.equals("initContainers")) && v instanceof List<?> list) {
                    list.stream().filter(Map.class::isInstance).forEach(c -> out.add((Map<String, Object>) c));
                } else {
                    out.addAll(containers(v));
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> out.addAll(containers(v)));
        }
        return out;
    }

    private void patches(List<Map<String, Object>> objects) {
        for (Map<String, Object> patch : Manifests.maps(spec, "patches")) {
            Map<String, Object> target = Manifests.map(patch, "target");
            Object ops = patch.containsKey("patch") ? Manifests.loadOne(patch.get("patch").toString())
                    : Manifests.loadOne(read(dir.resolve(patch.get("path").toString())));
            if (!(ops instanceof List<?> list)) {
                throw new IllegalStateException(dir + ": only JSON 6902 patches (a list of operations) are followed "
                        + "by the structural rendering, not strategic merge patches");
            }
            int matched = 0;
            for (Map<String, Object> o : objects) {
                if (matches(target, o)) {
                    matched++;
                    for (Object op : list) {
                        JsonPatch.apply(o, Manifests.map(op));
                    }
                }
            }
            if (matched == 0) {
                throw new IllegalStateException(dir + ": patch target " + target + " matches no object");
            }
        }
    }

    private static boolean matches(Map<String, Object> target, Map<String, Object> o) {
        for (String key : target.keySet()) {
            if (!Set.of("group", "version", "kind", "name", "namespace").contains(key)) {
                throw new IllegalStateException("patch target field '" + key + "' is not followed");
            }
        }
        String apiVersion = Manifests.string(o, "apiVersion");
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        return fits(target.get("group"), Manifests.group(o)) && fits(target.get("version"), version)
                && fits(target.get("kind"), Manifests.kind(o)) && fits(target.get("name"), Manifests.name(o))
                && fits(target.get("namespace"), Manifests.namespace(o));
    }

    // Kustomize selectors are anchored regular expressions.
    private static boolean fits(Object wanted, String actual) {
        return wanted == null || actual != null && Pattern.compile(wanted.toString()).matcher(actual).matches();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(Object list) {
        if (list == null) {
            return List.of();
        }
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}
