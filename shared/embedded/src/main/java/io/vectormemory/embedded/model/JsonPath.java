package io.vectormemory.embedded.model;

import io.qdrant.client.grpc.JsonWithInt.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A payload key path with Qdrant's grammar (lib/segment/src/json_path/parse.rs): a first key, then
 * any of {@code .key}, {@code ."quoted key"}, {@code [n]} and {@code []}. Raw keys consist of
 * alphanumeric characters, {@code _} and {@code -}.
 *
 * <p>{@link #get} follows Qdrant's {@code value_get} (lib/segment/src/json_path/mod.rs): a key
 * step only descends into objects, {@code [n]} into the n-th array element, {@code []} into every
 * element; the value at the end of the path is returned as it is (arrays are not flattened here,
 * the condition checkers look into them).
 */
public record JsonPath(String firstKey, List<Item> rest) {

    /** One step after the first key. */
    public sealed interface Item permits Key, Index, Wildcard {
    }

    /** {@code .key} */
    public record Key(String name) implements Item {
    }

    /** {@code [n]} */
    public record Index(int index) implements Item {
    }

    /** {@code []} */
    public record Wildcard() implements Item {
    }

    public JsonPath {
        rest = List.copyOf(rest);
    }

    /**
     * Parses a key path.
     *
     * @throws IllegalArgumentException if the text is not a valid path
     */
    public static JsonPath parse(String text) {
        int[] pos = {0};
        String first = key(text, pos);
        if (first == null) {
            throw new IllegalArgumentException(text);
        }
        List<Item> items = new ArrayList<>();
        while (pos[0] < text.length()) {
            char c = text.charAt(pos[0]);
            if (c == '.') {
                pos[0]++;
                String k = key(text, pos);
                if (k == null) {
                    throw new IllegalArgumentException(text);
                }
                items.add(new Key(k));
            } else if (c == '[') {
                int close = text.indexOf(']', pos[0]);
                if (close < 0) {
                    throw new IllegalArgumentException(text);
                }
                String inner = text.substring(pos[0] + 1, close);
                if (inner.isEmpty()) {
                    items.add(new Wildcard());
                } else {
                    for (int i = 0; i < inner.length(); i++) {
                        if (inner.charAt(i) < '0' || inner.charAt(i) > '9') {
                            throw new IllegalArgumentException(text);
                        }
                    }
                    try {
                        items.add(new Index(Integer.parseInt(inner)));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(text, e);
                    }
                }
                pos[0] = close + 1;
            } else {
                throw new IllegalArgumentException(text);
            }
        }
        return new JsonPath(first, items);
    }

    /** Raw or quoted key at pos; null if none. */
    private static String key(String text, int[] pos) {
        int start = pos[0];
        if (start < text.length() && text.charAt(start) == '"') {
            int end = start + 1;
            while (end < text.length() && text.charAt(end) != '"') {
                if (text.charAt(end) == '\\') {
                    return null;
                }
                end++;
            }
            if (end >= text.length()) {
                return null;
            }
            pos[0] = end + 1;
            return text.substring(start + 1, end);
        }
        int i = start;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            if (!isRawKeyChar(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        if (i == start) {
            return null;
        }
        pos[0] = i;
        return text.substring(start, i);
    }

    /** Rust {@code char::is_alphanumeric} (Alphabetic or Nd/Nl/No) plus '_' and '-'. */
    private static boolean isRawKeyChar(int cp) {
        if (cp == '_' || cp == '-' || Character.isAlphabetic(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** Values found at this path in the payload (possibly none). */
    public List<Value> get(Map<String, Value> payload) {
        Value first = payload.get(firstKey);
        if (first == null) {
            return List.of();
        }
        List<Value> out = new ArrayList<>(1);
        collect(first, 0, out);
        return out;
    }

    private void collect(Value value, int step, List<Value> out) {
        if (step == rest.size()) {
            out.add(value);
            return;
        }
        switch (rest.get(step)) {
            case Key k -> {
                if (value.hasStructValue()) {
                    Value next = value.getStructValue().getFieldsMap().get(k.name());
                    if (next != null) {
                        collect(next, step + 1, out);
                    }
                }
            }
            case Index ix -> {
                if (value.hasListValue() && ix.index() < value.getListValue().getValuesCount()) {
                    collect(value.getListValue().getValues(ix.index()), step + 1, out);
                }
            }
            case Wildcard w -> {
                if (value.hasListValue()) {
                    for (Value element : value.getListValue().getValuesList()) {
                        collect(element, step + 1, out);
                    }
                }
            }
        }
    }

    /** This path with a trailing {@code []} added unless already there (Qdrant's {@code array_key}). */
    public JsonPath arrayKey() {
        if (!rest.isEmpty() && rest.getLast() instanceof Wildcard) {
            return this;
        }
        List<Item> items = new ArrayList<>(rest);
        items.add(new Wildcard());
        return new JsonPath(firstKey, items);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        appendKey(sb, firstKey);
        for (Item item : rest) {
            switch (item) {
                case Key k -> appendKey(sb.append('.'), k.name());
                case Index ix -> sb.append('[').append(ix.index()).append(']');
                case Wildcard w -> sb.append("[]");
            }
        }
        return sb.toString();
    }

    private static void appendKey(StringBuilder sb, String key) {
        boolean raw = !key.isEmpty() && key.codePoints().allMatch(JsonPath::isRawKeyChar);
        if (raw) {
            sb.append(key);
        } else {
            sb.append('"').append(key).append('"');
        }
    }
}
