package io.vectormemory.qdrant.store;

import io.vectormemory.qdrant.settings.QdrantSettings;

/** Namespace → memories collection name, sanitised exactly as the Rust service did. */
public final class Namespaces {
    /** Longest collection name whose snapshots still get valid file names (Qdrant itself allows 255). */
    public static final int MAX_COLLECTION_NAME = QdrantSettings.MAX_COLLECTION_NAME;

    private Namespaces() {
    }

    /**
     * ASCII letters and digits kept (lower-cased), {@code -} and {@code _} become {@code _}, everything else
     * dropped, then leading and trailing {@code _} trimmed. Empty result means "no namespace".
     */
    public static String sanitise(String namespace) {
        if (namespace == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(namespace.length());
        namespace.codePoints().forEach(c -> {
            if (c < 128 && Character.isLetterOrDigit(c)) {
                out.append((char) Character.toLowerCase(c));
            } else if (c == '-' || c == '_') {
                out.append('_');
            }
        });
        int from = 0;
        int to = out.length();
        while (from < to && out.charAt(from) == '_') {
            from++;
        }
        while (to > from && out.charAt(to - 1) == '_') {
            to--;
        }
        return out.substring(from, to);
    }

    /** The collection for a namespace, or the base collection when the namespace sanitises to nothing. */
    public static String collection(String baseCollection, String namespace) {
        String clean = sanitise(namespace);
        return clean.isEmpty() ? baseCollection : baseCollection + "_" + clean;
    }
}
