package io.vectormemory.search;

import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * A user's document statistics, gathered chunk by chunk in id order: chunks per group and per file, and each
 * file's group ({@code chunks_by_file[*].group_key} is the last one seen, as the Rust service reported it).
 */
final class DocumentStats {
    private long chunks;
    private final Map<String, Long> byGroup = new TreeMap<>();
    private final Map<Long, long[]> fileChunks = new TreeMap<>();
    private final Map<Long, String> fileGroup = new TreeMap<>();

    void add(RetrievedPoint p) {
        chunks++;
        Value g = p.getPayloadMap().get("group_key");
        String group = g != null && g.hasStringValue() ? g.getStringValue() : null;
        if (group != null) {
            byGroup.merge(group, 1L, Long::sum);
        }
        Value f = p.getPayloadMap().get("file_id");
        if (f != null && f.hasIntegerValue()) {
            fileChunks.computeIfAbsent(f.getIntegerValue(), k -> new long[1])[0]++;
            if (group != null) {
                fileGroup.put(f.getIntegerValue(), group);
            }
        }
    }

    /** The group keys seen, sorted. */
    Set<String> groupKeys() {
        return byGroup.keySet();
    }

    JsonObject toJson() {
        JsonObjectBuilder groups = JSON.createObjectBuilder();
        byGroup.forEach(groups::add);
        JsonObjectBuilder files = JSON.createObjectBuilder();
        fileChunks.forEach((file, n) -> {
            JsonObjectBuilder entry = JSON.createObjectBuilder().add("chunks", n[0]);
            String group = fileGroup.get(file);
            if (group == null) {
                entry.addNull("group_key");
            } else {
                entry.add("group_key", group);
            }
            files.add(Long.toString(file), entry);
        });
        return JSON.createObjectBuilder()
                .add("total_chunks", chunks)
                .add("total_files", fileChunks.size())
                .add("total_groups", byGroup.size())
                .add("chunks_by_group", groups)
                .add("chunks_by_file", files)
                .build();
    }
}
