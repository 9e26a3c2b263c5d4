package io.vectormemory.http.json;

import jakarta.json.spi.JsonProvider;

/** The process's one JSON provider, for building values ({@code JSON.createObjectBuilder()}, ...). */
public final class JsonFactory {
    /**
     * Looked up once: {@code Json.createValue(..)} and its friends look the provider up on every call, a
     * ServiceLoader scan of the class path that dominated the search function's profile.
     */
    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonFactory() {
    }
}
