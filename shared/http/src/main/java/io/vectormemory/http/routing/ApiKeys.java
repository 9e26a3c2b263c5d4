package io.vectormemory.http.routing;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The service API keys. Several may be valid at once (rotation). Presented keys are compared
 * in constant time: both sides are hashed first, so neither the length nor the position of the first
 * difference shows in the timing, and every configured key is always compared.
 */
public final class ApiKeys {
    static final String BEARER = "Bearer ";
    public static final HeaderName X_API_KEY = HeaderNames.create("X-API-Key");

    private final List<byte[]> digests;
    private final boolean disabled;

    private ApiKeys(List<byte[]> digests, boolean disabled) {
        this.digests = digests;
        this.disabled = disabled;
    }

    public static ApiKeys of(List<String> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one API key is required; use ApiKeys.disabled()");
        }
        return new ApiKeys(keys.stream().map(ApiKeys::sha256).toList(), false);
    }

    public static ApiKeys disabled() {
        return new ApiKeys(List.of(), true);
    }

    public boolean isDisabled() {
        return disabled;
    }

    /** Whether the request carries a valid key in {@code X-API-Key} or {@code Authorization: Bearer}. */
    public boolean accepts(Headers headers) {
        if (disabled) {
            return true;
        }
        boolean ok = false;
        Optional<String> apiKey = headers.first(X_API_KEY);
        if (apiKey.isPresent()) {
            ok = matches(apiKey.get());
        }
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent() && authorization.get().startsWith(BEARER)) {
            ok |= matches(authorization.get().substring(BEARER.length()));
        }
        return ok;
    }

    private boolean matches(String presented) {
        if (presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean ok = false;
        for (byte[] d : digests) {
            ok |= MessageDigest.isEqual(d, digest);
        }
        return ok;
    }

    private static byte[] sha256(String s) {
        try {
            // A copy of a ready digest: looking the algorithm up showed in every request's profile.
            return ((MessageDigest) SHA_256.clone()).digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be copied", e);
        }
    }

    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
