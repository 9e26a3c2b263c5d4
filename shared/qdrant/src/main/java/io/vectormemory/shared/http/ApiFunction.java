package io.vectormemory.shared.http;

/** The three deployable functions (DESIGN §2). Reads and writes scale differently, so they are split. */
public enum ApiFunction {
    UPSERT, SEARCH, HEALTH;

    public String id() {
        return name().toLowerCase();
    }
}
