package io.vectormemory.http.server;

/**
 * How much one request may ask for.
 *
 * @param searchMaxLimit largest search {@code limit}
 * @param scrollMaxLimit largest scroll {@code limit}
 * @param batchMaxPoints largest memory or document batch
 * @param maxBodyBytes   largest request body
 * @param pointIdMaxBytes longest point id a write accepts, in UTF-8 bytes: every id written can then be read and
 *                        deleted by URL (the server accepts request lines long enough, see {@link #maxRequestLine})
 */
public record RequestLimits(int searchMaxLimit, int scrollMaxLimit, int batchMaxPoints, long maxBodyBytes,
                            int pointIdMaxBytes) {
    public static final int DEFAULT_POINT_ID_MAX_BYTES = 1024;
    public static final int MAX_POINT_ID_MAX_BYTES = 8192;

    /**
     * The longest request line the server reads: a route with the longest id, every byte percent-encoded (three
     * characters), with room for the method, the route's fixed part and a namespace query. Never below Helidon's
     * default (4096).
     */
    public int maxRequestLine() {
        return Math.max(4096, 3 * pointIdMaxBytes + 1024);
    }

    /**
     * The {@code point_id} of a write, refused with a 400 when it is longer than {@link #pointIdMaxBytes} in UTF-8
     * (the id itself is not echoed: it may be huge).
     *
     * @param field where it was in the body, e.g. {@code points[3].point_id}
     */
    public String pointId(String id, String field) {
        // a UTF-16 char is at most 3 UTF-8 bytes: only long strings need encoding to be measured
        if (id.length() * 3L > pointIdMaxBytes) {
            int bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > pointIdMaxBytes) {
                throw io.vectormemory.http.ApiException.badRequest("Invalid request body: " + field + ": longer than "
                        + pointIdMaxBytes + " bytes (UTF-8), got " + bytes);
            }
        }
        return id;
    }
}
