package io.vectormemory.tests.support;

import jakarta.json.Json;

import java.util.concurrent.atomic.AtomicLong;

/** Request bodies in the platform's format, with unique users and ids so tests never see each other's data. */
public final class Data {
    private static final AtomicLong USERS = new AtomicLong(1_000_000L + (System.nanoTime() & 0xFFFFF) * 1000);
    private static final AtomicLong IDS = new AtomicLong();
    public static final long CREATED = 1767225600L;

    private Data() {
    }

    public static long user() {
        return USERS.incrementAndGet();
    }

    /** {@code mem_<user>_<n>}, the platform's memory id format. */
    public static String memoryId(long user) {
        return "mem_" + user + "_" + IDS.incrementAndGet();
    }

    /** {@code doc_<user>_<file>_<chunk>}, the platform's chunk id format. */
    public static String documentId(long user, long file, int chunk) {
        return "doc_" + user + "_" + file + "_" + chunk;
    }

    /** A fresh namespace name nobody wrote to. */
    public static String namespace() {
        return "ns_" + IDS.incrementAndGet() + "_" + Long.toString(System.nanoTime() & 0xFFFFFF, 36);
    }

    public static String str(String s) {
        return Json.createValue(s).toString();
    }

    /** A complete memory payload (all required fields plus message_id). */
    public static String memoryPayload(long user, String category, boolean active) {
        return """
                {"user_id":%d,"category":%s,"key":"favourite_food","value":"Spicy ramen","source":"auto_detected",\
                "message_id":5120,"created":%d,"updated":%d,"active":%s}"""
                .formatted(user, str(category), CREATED, CREATED + 60, active);
    }

    public static String memoryPayload(long user) {
        return memoryPayload(user, "preferences", true);
    }

    public static String memory(String id, float[] vector, String payload) {
        return "{\"point_id\":" + str(id) + ",\"vector\":" + Vectors.json(vector) + ",\"payload\":" + payload + "}";
    }

    public static String memory(String id, float[] vector, String payload, String namespace) {
        return "{\"point_id\":" + str(id) + ",\"vector\":" + Vectors.json(vector) + ",\"payload\":" + payload
                + ",\"namespace\":" + str(namespace) + "}";
    }

    public static String documentPayload(long user, long file, String group, int chunk) {
        return """
                {"user_id":%d,"file_id":%d,"group_key":%s,"file_type":1,"chunk_index":%d,"start_line":%d,\
                "end_line":%d,"text":"Chapter %d …","created":%d}"""
                .formatted(user, file, str(group), chunk, chunk * 10 + 1, chunk * 10 + 9, chunk, CREATED);
    }

    public static String document(String id, float[] vector, String payload) {
        return "{\"point_id\":" + str(id) + ",\"vector\":" + Vectors.json(vector) + ",\"payload\":" + payload + "}";
    }

    /** Joins JSON texts into an array text. */
    public static String array(java.util.List<String> items) {
        return "[" + String.join(",", items) + "]";
    }
}
