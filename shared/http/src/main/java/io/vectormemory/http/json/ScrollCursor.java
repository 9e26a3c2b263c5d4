package io.vectormemory.http.json;

import io.qdrant.client.grpc.Common.PointId;
import io.vectormemory.http.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** The opaque scroll cursor: the next Qdrant point id, base64url-encoded so clients do not build their own. */
public final class ScrollCursor {
    private ScrollCursor() {
    }

    public static String encode(PointId id) {
        String text = id.hasUuid() ? "u" + id.getUuid() : "n" + Long.toUnsignedString(id.getNum());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static PointId decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("n")) {
                return PointId.newBuilder().setNum(Long.parseUnsignedLong(text.substring(1))).build();
            }
            if (text.startsWith("u")) {
                return PointId.newBuilder().setUuid(UUID.fromString(text.substring(1)).toString()).build();
            }
        } catch (IllegalArgumentException e) {
            // falls through to the 400 below
        }
        throw ApiException.badRequest("Invalid offset: not a cursor returned as next_offset");
    }
}
