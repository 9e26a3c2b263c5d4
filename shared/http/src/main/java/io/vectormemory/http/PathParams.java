package io.vectormemory.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Decoded path parameters of a matched route. An encoded slash ({@code %2F}) stays inside its segment. */
public record PathParams(Map<String, String> values) {

    public String get(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return v;
    }

    /** A signed 64-bit path parameter; anything else is a 400 naming the value. */
    public long getLong(String name) {
        String v = get(name);
        try {
            // Long.parseLong also takes non-ASCII digits ("１", "٣"); upstream's i64 parser takes ASCII only.
            if (!v.matches("[+-]?[0-9]{1,19}")) {
                throw new NumberFormatException();
            }
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            String shown = v.length() > 64 ? v.substring(0, 64) + "…" : v;
            throw ApiException.badRequest("Invalid URL: Cannot parse `\"" + shown + "\"` to a `i64`");
        }
    }

    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw ApiException.badRequest("Invalid URL: bad percent-encoding");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiException.badRequest("Invalid URL: bad percent-encoding");
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("Invalid URL: percent-encoded bytes are not UTF-8");
        }
    }
}
