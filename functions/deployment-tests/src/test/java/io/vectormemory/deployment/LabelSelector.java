package io.vectormemory.deployment;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A Kubernetes label selector (matchLabels and matchExpressions) applied to a set of labels. */
final class LabelSelector {
    private LabelSelector() {
    }

    /** Whether the selector matches; an empty selector ({}) matches everything. */
    static boolean matches(Object selector, Map<String, Object> labels) {
        Map<String, Object> s = Manifests.map(selector);
        for (Map.Entry<String, Object> e : Manifests.map(s, "matchLabels").entrySet()) {
            if (!Objects.equals(String.valueOf(e.getValue()), labels.containsKey(e.getKey()) ? String.valueOf(labels.get(e.getKey())) : null)) {
                return false;
            }
        }
        for (Map<String, Object> e : Manifests.maps(s, "matchExpressions")) {
            String key = Manifests.string(e, "key");
            List<String> values = Manifests.at(e, "values").map(v -> ((List<?>) v).stream().map(String::valueOf).toList()).orElse(List.of());
            boolean has = labels.containsKey(key);
            String value = has ? String.valueOf(labels.get(key)) : null;
            boolean ok = switch (Manifests.string(e, "operator")) {
                case "In" -> has && values.contains(value);
                case "NotIn" -> !has || !values.contains(value);
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> throw new IllegalStateException("unknown selector operator in " + e);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
