package io.vectormemory.http.json;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.vectormemory.http.ApiException;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Reads a JSON request body: content type (415), size limit (413), syntax (400), in that order. */
public final class JsonBodies {
    private JsonBodies() {
    }

    public static JsonFields object(ServerRequest req, long maxBytes) {
        return JsonFields.of(read(req, maxBytes), "");
    }

    public static JsonValue read(ServerRequest req, long maxBytes) {
        requireJsonContentType(req.headers().first(HeaderNames.CONTENT_TYPE));
        OptionalLong declared = contentLength(req);
        if (declared.present && declared.value > maxBytes) {
            drain(req.content().inputStream());
            throw tooLarge(maxBytes);
        }
        byte[] body = declared.present && declared.value >= 0
                ? readDeclared(req.content().inputStream(), (int) declared.value)
                : readLimited(req.content().inputStream(), maxBytes);
        return parse(body);
    }

    /** A body of known length (at most the limit): read into one array of that size, not grown chunk by chunk. */
    private static byte[] readDeclared(InputStream in, int length) {
        try (in) {
            byte[] body = new byte[length];
            int read = in.readNBytes(body, 0, length);
            // the server ends the stream at Content-Length; a shorter body (client gone) parses as malformed
            return read == length ? body : Arrays.copyOf(body, read);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of a UTF-8 JSON body (strict: see {@link StrictJsonParser}); any malformation is a 400. */
    public static JsonValue parse(byte[] body) {
        return StrictJsonParser.parse(body);
    }

    static void requireJsonContentType(Optional<String> header) {
        if (header.isEmpty() || !isJson(header.get())) {
            throw new ApiException(415, "Expected request with `Content-Type: application/json`");
        }
    }

    /** {@code application/json} or {@code application/*+json}, parameters allowed. */
    static boolean isJson(String contentType) {
        String mime = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return mime.equals("application/json")
                || (mime.startsWith("application/") && mime.endsWith("+json") && mime.indexOf('/') == 11);
    }

    private static byte[] readLimited(InputStream in, long maxBytes) {
        try (in) {
            byte[] body = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (body.length > maxBytes) {
                drain(in);
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads and discards the rest of a refused body, so the client reads our 413 instead of a connection reset
     * while it is still sending. The listener's payload limit ({@link #drainLimit}) bounds what is read.
     */
    private static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            // Over the listener's limit or the client went away: the 413 is answered on a closing connection.
        }
    }

    /** How much of an oversized body the server reads and discards before it closes the connection instead. */
    public static long drainLimit(long maxBytes) {
        return Math.min(maxBytes * 4, maxBytes + (256L << 20));
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "Request body exceeds the limit of " + maxBytes + " bytes");
    }

    private static OptionalLong contentLength(ServerRequest req) {
        return req.headers().first(HeaderNames.CONTENT_LENGTH)
                .map(v -> {
                    try {
                        return new OptionalLong(true, Long.parseLong(v.strip()));
                    } catch (NumberFormatException e) {
                        return new OptionalLong(false, 0);
                    }
                })
                .orElse(new OptionalLong(false, 0));
    }

    private record OptionalLong(boolean present, long value) {
    }
}
