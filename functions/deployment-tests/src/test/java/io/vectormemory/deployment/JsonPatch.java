package io.vectormemory.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The add, replace and remove operations of JSON Patch (RFC 6902) on YAML trees, as kustomize applies them. */
final class JsonPatch {
    private JsonPatch() {
    }

    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> document, Map<String, Object> operation) {
        String op = String.valueOf(operation.get("op"));
        String path = String.valueOf(operation.get("path"));
        List<String> tokens = new ArrayList<>();
        for (String t : path.substring(1).split("/", -1)) {
            tokens.add(t.replace("~1", "/").replace("~0", "~"));
        }
        Object parent = document;
        for (String t : tokens.subList(0, tokens.size() - 1)) {
            parent = step(parent, t, path);
        }
        String last = tokens.getLast();
        Object value = operation.get("value");
        switch (op) {
            case "add", "replace" -> {
                if (parent instanceof Map<?, ?> map) {
                    if (op.equals("replace") && !map.containsKey(last)) {
                        throw new IllegalStateException("replace of missing " + path);
                    }
                    ((Map<String, Object>) map).put(last, value);
                } else if (parent instanceof List<?> list) {
                    List<Object> l = (List<Object>) list;
                    if (op.equals("add")) {
                        l.add(last.equals("-") ? l.size() : Integer.parseInt(last), value);
                    } else {
                        l.set(Integer.parseInt(last), value);
                    }
                } else {
                    throw new IllegalStateException("no container at " + path);
                }
            }
            case "remove" -> {
                Object removed = parent instanceof Map<?, ?> map ? map.remove(last)
                        : parent instanceof List<?> list ? list.remove(Integer.parseInt(last)) : null;
                if (removed == null) {
                    throw new IllegalStateException("remove of missing " + path);
                }
            }
            default -> throw new IllegalStateException("JSON patch op '" + op + "' is not followed");
        }
    }

    private static Object step(Object node, String token, String path) {
        Object next = node instanceof Map<?, ?> map ? map.get(token)
                : node instanceof List<?> list && token.matches("\\d+") && Integer.parseInt(token) < list.size()
                ? list.get(Integer.parseInt(token)) : null;
        if (next == null) {
            throw new IllegalStateException("no " + token + " on the way to " + path);
        }
        return next;
    }
}
