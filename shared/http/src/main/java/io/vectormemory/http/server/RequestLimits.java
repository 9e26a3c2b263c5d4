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
}
