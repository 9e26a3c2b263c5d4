package io.vectormemory.tests.support;

import io.vectormemory.http.Route;

import java.nio.charset.StandardCharsets;

/** One valid request for each route: what a well-behaved client sends. */
public final class Samples {
    private Samples() {
    }

    public record Request(String method, String path, String json) {
        public byte[] body() {
            return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        }

        public Response send(Http http) {
            return http.send(method, path, json == null ? null : "application/json", body());
        }
    }

    public static Request valid(Route route, int dimension) {
        float[] v = Vectors.random(dimension, 42);
        String memory = Data.memory("mem_1_1", v, Data.memoryPayload(1));
        String document = Data.document("doc_1_2_0", v, Data.documentPayload(1, 2, "g", 0));
        String json = switch (route) {
            case MEMORY_UPSERT -> memory;
            case MEMORY_BATCH -> "{\"points\":[" + memory + "]}";
            case MEMORY_SEARCH -> "{\"query_vector\":" + Vectors.json(v) + ",\"user_id\":1}";
            case MEMORY_SCROLL -> "{\"user_id\":1}";
            case DOCUMENT_UPSERT -> document;
            case DOCUMENT_BATCH -> "{\"documents\":[" + document + "]}";
            case DOCUMENT_SEARCH -> "{\"vector\":" + Vectors.json(v) + ",\"user_id\":1}";
            case DOCUMENT_DELETE_BY_FILE -> "{\"user_id\":1,\"file_id\":2}";
            case DOCUMENT_DELETE_BY_GROUP, DOCUMENT_FILES_BY_GROUP -> "{\"user_id\":1,\"group_key\":\"g\"}";
            case DOCUMENT_UPDATE_GROUP_KEY -> "{\"user_id\":1,\"file_id\":2,\"new_group_key\":\"h\"}";
            default -> null;
        };
        return new Request(route.method().text(), Paths.of(route, "mem_1_1", 1), json);
    }
}
