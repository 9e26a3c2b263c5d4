package io.vectormemory.embedded.engine;

/**
 * Request validation with the messages Qdrant's validator produces (lib/api/build.rs lists the
 * constraints, lib/collection/src/operations/validation.rs formats them, and
 * lib/common/common/src/validation.rs has {@code validate_collection_name}).
 */
final class Validation {

    /** Characters Qdrant forbids in new collection names. */
    private static final char[] FORBIDDEN = {'<', '>', ':', '"', '/', '\\', '|', '?', '*', '\0', '\u001F'};

    private Validation() {
    }

    /** Characters {@code validate_collection_name_legacy} forbids in names of existing collections. */
    private static final char[] FORBIDDEN_LEGACY = {'/', '\0'};

    /**
     * collection_name of every request but CreateCollection: {@code length(min = 1, max = 255)}
     * (counted in characters like Rust) and {@code validate_collection_name_legacy}.
     */
    static void collectionName(String name) {
        length(name);
        forbidden(name, FORBIDDEN_LEGACY);
    }

    /** CreateCollection: length and {@code validate_collection_name}. */
    static void newCollectionName(String name) {
        length(name);
        forbidden(name, FORBIDDEN);
    }

    private static void length(String name) {
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > 255) {
            throw ApiError.validation("collection_name",
                    "value " + jsonString(name) + " invalid, must be from 1 to 255 characters");
        }
    }

    private static void forbidden(String name, char[] chars) {
        for (char c : chars) {
            if (name.indexOf(c) >= 0) {
                throw ApiError.validation("collection_name", "collection name cannot contain \"" + c + "\" char");
            }
        }
    }

    /** {@code range(min = 1)} on an unsigned number. */
    static void atLeastOne(String field, long value) {
        if (value == 0) {
            throw ApiError.validation(field, "value " + Long.toUnsignedString(value) + " invalid, must be 1 or larger");
        }
    }

    /** {@code length(min = 1)} on a string. */
    static void notEmpty(String field, String value) {
        if (value.isEmpty()) {
            throw ApiError.validation(field, "value \"\" invalid, must be at least 1 characters");
        }
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
