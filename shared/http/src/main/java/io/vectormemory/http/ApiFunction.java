package io.vectormemory.http;

/** The three deployable functions. Reads and writes scale differently, so they are split. */
public enum ApiFunction {
    UPSERT, SEARCH, HEALTH;

    public String id() {
        return name().toLowerCase();
    }
}
