package io.vectormemory.deployment;

import io.vectormemory.http.ApiFunction;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One overlay of knative/, rendered, with the questions the tests ask of it. */
record Deployment(String overlay, List<Map<String, Object>> objects) {
    static final String KNATIVE_GROUP = "serving.knative.dev";
    static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

    static Deployment render(Path overlayDir) {
        return new Deployment(overlayDir.getFileName().toString(), Kustomization.at(overlayDir).build());
    }

    static List<Deployment> all() {
        return Manifests.overlays().stream().map(Deployment::render).toList();
    }

    List<Map<String, Object>> knativeServices() {
        return Manifests.ofKind(objects, KNATIVE_GROUP, "Service");
    }

    /** The Knative Service of a function: the one labelled app.kubernetes.io/component=<function>. */
    Map<String, Object> service(ApiFunction function) {
        List<Map<String, Object>> found = knativeServices().stream()
                .filter(s -> function.id().equals(Manifests.string(s, "metadata", "labels", "app.kubernetes.io/component")))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError(overlay + ": expected one Knative Service labelled app.kubernetes.io/component="
                    + function.id() + ", found " + found.size());
        }
        return found.getFirst();
    }

    /** The function a Knative Service serves, from its component label. */
    Optional<ApiFunction> functionOf(Map<String, Object> service) {
        String component = Manifests.string(service, "metadata", "labels", "app.kubernetes.io/component");
        for (ApiFunction f : ApiFunction.values()) {
            if (f.id().equals(component)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    Optional<Map<String, Object>> find(String group, String kind, String namespace, String name) {
        return Manifests.ofKind(objects, group, kind).stream()
                .filter(o -> name.equals(Manifests.name(o)) && java.util.Objects.equals(namespace, Manifests.namespace(o)))
                .findFirst();
    }

    List<Map<String, Object>> httpRoutes() {
        return Manifests.ofKind(objects, GATEWAY_GROUP, "HTTPRoute");
    }

    @Override
    public String toString() {
        return overlay;
    }
}
