package io.vectormemory.search;

import io.vectormemory.http.ApiException;

/** The {@code limit} of a search or scroll: 1 up to the configured maximum; 0 is an error, not "all". */
final class ResultLimit {
    private ResultLimit() {
    }

    static void check(long limit, int max) {
        if (limit < 1 || limit > max) {
            throw ApiException.badRequest("limit must be between 1 and " + max + ", got " + limit);
        }
    }
}
