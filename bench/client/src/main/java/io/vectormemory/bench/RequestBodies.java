package io.vectormemory.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The HTTP request bodies of the API contract, written by hand for speed. Floats are
 * printed in Java's shortest round-trip form, so the backend sees exactly the float the direct path sends.
 */
final class RequestBodies {
    private final Dataset data;

    RequestBodies(Dataset data) {
        this.data = data;
    }

    /** {@code POST /memories/search}: top-5 of one user. */
    String search(int query) {
        StringBuilder b = new StringBuilder(data.dimension() * 12 + 80);
        b.append("{\"query_vector\":");
        vector(b, data.queryVector(query));
        b.append(",\"user_id\":").append(data.queryUser(query))
                .append(",\"limit\":").append(Dataset.SEARCH_LIMIT)
                .append(",\"min_score\":").append(Dataset.MIN_SCORE).append('}');
        return b.toString();
    }

    /** {@code POST /memories/batch}: points {@code from..from+count-1} of one user. */
    String batch(int user, int from, int count) {
        StringBuilder b = new StringBuilder(count * (data.dimension() * 12 + 300));
        b.append("{\"points\":[");
        for (int i = from; i < from + count; i++) {
            if (i > from) {
                b.append(',');
            }
            memory(b, user, i);
        }
        return b.append("]}").toString();
    }

    /** {@code POST /memories}: one point. */
    String single(int user, int index) {
        StringBuilder b = new StringBuilder(data.dimension() * 12 + 300);
        memory(b, user, index);
        return b.toString();
    }

    private void memory(StringBuilder b, int user, int index) {
        b.append("{\"point_id\":\"").append(Dataset.pointId(user, index)).append("\",\"vector\":");
        vector(b, data.pointVector(user, index));
        b.append(",\"payload\":{\"user_id\":").append(user)
                .append(",\"category\":\"").append(Dataset.category(index))
                .append("\",\"key\":\"").append(Dataset.key(index))
                .append("\",\"value\":\"").append(Dataset.value(user, index))
                .append("\",\"source\":\"auto_detected\",\"created\":").append(Dataset.CREATED + index)
                .append(",\"updated\":").append(Dataset.CREATED + index)
                .append(",\"active\":true}}");
    }

    private static void vector(StringBuilder b, float[] v) {
        b.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(v[i]);
        }
        b.append(']');
    }

    /**
     * Writes the body files wrk rotates through (one body per line) and the single bodies of the cold-start
     * probe.
     */
    static void writeAll(Dataset data, Path dir, int searchBodies, int upsertBodies, int batchSize)
            throws IOException {
        Files.createDirectories(dir);
        RequestBodies bodies = new RequestBodies(data);
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("search.bodies"), StandardCharsets.UTF_8)) {
            for (int q = 0; q < searchBodies; q++) {
                out.write(bodies.search(q));
                out.write('\n');
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("upsert.bodies"), StandardCharsets.UTF_8)) {
            for (int b = 0; b < upsertBodies; b++) {
                out.write(bodies.batch(Dataset.FUNCTION_WRITE_USERS + b, 0, batchSize));
                out.write('\n');
            }
        }
        Files.writeString(dir.resolve("search.json"), bodies.search(0));
        Files.writeString(dir.resolve("memory.json"), bodies.single(Dataset.FUNCTION_WRITE_USERS - 1, 0));
    }
}
