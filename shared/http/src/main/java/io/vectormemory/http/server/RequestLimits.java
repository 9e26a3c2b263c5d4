package io.vectormemory.http.server;

/**
 * How much one request may ask for.
 *
 * @param searchMaxLimit largest search {@code limit}
 * @param scrollMaxLimit largest scroll {@code limit}
 * @param batchMaxPoints largest memory or document batch
 * @param maxBodyBytes   largest request body
 */
public record RequestLimits(int searchMaxLimit, int scrollMaxLimit, int batchMaxPoints, long maxBodyBytes) {
}
