package io.vectormemory.qdrant.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads settings from environment variables and collects one message per bad variable instead of stopping at
 * the first, so a pod fails fast with every problem named at once. Parsers throw {@link IllegalArgumentException}
 * with a short reason; the message names the variable and quotes its value (never use this for secrets).
 */
public final class EnvironmentReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public EnvironmentReader(Map<String, String> env) {
        this.env = env;
    }

    /** The raw value, or null when unset. */
    public String raw(String name) {
        return env.get(name);
    }

    /** A setting without a default: absent or blank → empty. */
    public <T> Optional<T> optional(String name, Function<String, T> parse) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(raw));
        } catch (IllegalArgumentException e) {
            problems.add(name + "=" + quote(raw) + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** A setting with a default: absent or blank → the default; a bad value is reported and the default used. */
    public <T> T value(String name, String defaultValue, Function<String, T> parse) {
        String raw = env.get(name);
        String v = raw == null || raw.isBlank() ? defaultValue : raw;
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            problems.add(name + "=" + quote(v) + ": " + e.getMessage());
            return parse.apply(defaultValue);
        }
    }

    /** Records a problem that is not about one value (e.g. two settings that contradict each other). */
    public void problem(String message) {
        problems.add(message);
    }

    /** Throws {@link SettingsException} listing every problem found so far, if any. */
    public void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
    }

    public static int intIn(String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return n;
    }

    public static boolean bool(String v) {
        return switch (v.strip().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** The value, upper-cased, if it is one of {@code allowed} (compared case-insensitively). */
    public static String oneOf(String v, String... allowed) {
        String s = v.strip().toLowerCase();
        for (String a : allowed) {
            if (a.equals(s)) {
                return s.toUpperCase();
            }
        }
        throw new IllegalArgumentException("expected one of " + String.join(", ", allowed));
    }

    public static java.nio.file.Path readableFile(String v) {
        java.nio.file.Path p;
        try {
            p = java.nio.file.Path.of(v.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a file path");
        }
        if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
            throw new IllegalArgumentException("not a readable file");
        }
        return p;
    }

    private static String quote(String v) {
        String s = v.length() > 64 ? v.substring(0, 64) + "…" : v;
        return "\"" + s + "\"";
    }
}
