package io.vectormemory.shared.json;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.vectormemory.shared.http.ApiException;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.vectormemory.shared.json.JsonOut.JSON;

/** Reads a JSON request body: content type (415), size limit (413), syntax (400), in that order (upstream §1.0). */
public final class JsonBodies {
    // A parser (not a reader) so content after the top-level value can be refused too; the tree is built by
    // JsonTree, which also refuses duplicate keys (an ambiguous body is a bad body).
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of());

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
        byte[] body = readLimited(req.content().inputStream(), maxBytes);
        return parse(body);
    }

    public static JsonValue parse(byte[] body) {
        String text;
        try {
            // JSON is UTF-8 (RFC 8259); malformed bytes are refused, not silently replaced with U+FFFD.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("Failed to parse the request body as JSON: invalid UTF-8");
        }
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            JsonValue value = JsonTree.value(parser, parser.next(), 0);
            if (parser.hasNext()) {
                throw ApiException.badRequest("Failed to parse the request body as JSON: trailing content");
            }
            return value;
        } catch (JsonParsingException e) {
            throw ApiException.badRequest("Failed to parse the request body as JSON: " + location(e));
        } catch (JsonException | IllegalStateException e) {
            // Parsson reports duplicate keys and trailing content as JsonException without a location.
            throw ApiException.badRequest("Failed to parse the request body as JSON: " + safeMessage(e));
        }
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

    private static String location(JsonParsingException e) {
        var loc = e.getLocation();
        String base = firstLine(e.getMessage());
        return loc == null ? base : base + " at line " + loc.getLineNumber() + " column " + loc.getColumnNumber();
    }

    private static String safeMessage(Exception e) {
        return firstLine(e.getMessage());
    }

    // Parser messages describe the input only; cut them short so a huge token is not echoed back in full.
    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "malformed JSON";
        }
        String line = message.lines().findFirst().orElse("malformed JSON");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private record OptionalLong(boolean present, long value) {
    }
}
