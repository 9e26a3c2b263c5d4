package io.vectormemory.http.json;

import io.vectormemory.http.ApiException;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.vectormemory.http.json.JsonFactory.JSON;

/**
 * A strict JSON (RFC 8259) parser straight from the body's UTF-8 bytes to a value tree. It exists because the
 * request bodies are mostly numbers (a 1024-dim vector is ~12 KB of them) and a general parser spent most of a
 * search request's CPU turning each one into a token string and then into a double.
 * <p>
 * Rules of our own on top of the grammar: duplicate keys and nesting deeper than {@link #MAX_DEPTH} are refused,
 * as are malformed UTF-8 and lone surrogate escapes; a number is an integer only if written without fraction or
 * exponent ({@code 4.2e1} is not); arrays of numbers are kept primitive ({@link NumberArray}). Every error is a
 * 400 naming the line and column, never echoing more than one character of the input.
 */
final class StrictJsonParser {
    /** Far deeper than any valid request; stops stack-exhausting bodies early. */
    static final int MAX_DEPTH = 64;

    /** Exact powers of ten as doubles (10^22 is the largest a double holds exactly). */
    private static final double[] POWERS_OF_TEN = new double[23];
    private static final long MAX_EXACT_MANTISSA = 1L << 53;
    private static final double[] NO_NUMBERS = new double[0];

    static {
        double p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    private final byte[] in;
    private int pos;
    /**
     * The longest array of numbers read so far in this body: the next one starts with that much room, so the
     * vectors of a batch, which all have one dimension, are each allocated once instead of grown from 64.
     */
    private int longestNumbers = 64;

    private StrictJsonParser(byte[] in) {
        this.in = in;
    }

    /** The one value of {@code body}; whitespace around it is allowed, anything else after it is not. */
    static JsonValue parse(byte[] body) {
        StrictJsonParser p = new StrictJsonParser(body);
        p.skipWhitespace();
        JsonValue value = p.value(0);
        p.skipWhitespace();
        if (p.pos < body.length) {
            throw p.error("trailing content after the JSON value");
        }
        return value;
    }

    private JsonValue value(int depth) {
        if (pos >= in.length) {
            throw error("unexpected end of input");
        }
        byte c = in[pos];
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> JSON.createValue(string());
            case 't' -> literal("true", JsonValue.TRUE);
            case 'f' -> literal("false", JsonValue.FALSE);
            case 'n' -> literal("null", JsonValue.NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw unexpected();
            }
        };
    }

    private JsonValue object(int depth) {
        checkDepth(depth);
        pos++; // {
        JsonObjectBuilder object = JSON.createObjectBuilder();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return object.build();
        }
        Set<String> keys = new HashSet<>();
        while (true) {
            if (peek() != '"') {
                throw pos >= in.length ? error("unexpected end of input") : unexpected();
            }
            String key = string();
            if (!keys.add(key)) {
                throw malformed("duplicate key \"" + shorten(key) + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            object.add(key, value(depth));
            if (!another('}')) {
                return object.build();
            }
        }
    }

    private JsonValue array(int depth) {
        checkDepth(depth);
        pos++; // [
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new NumberArray(0, NO_NUMBERS, null, null);
        }
        List<JsonValue> values = null;
        // a vector's numbers go straight into a double[]; integers (payload lists) also keep their exact value
        double[] doubles = NO_NUMBERS; // allocated at the first number: most arrays of other values have none
        long[] longs = null;
        boolean[] integral = null;
        int n = 0;
        while (true) {
            int c = peek();
            if (values == null && (c == '-' || (c >= '0' && c <= '9'))) {
                if (n == doubles.length) {
                    int room = n == 0 ? longestNumbers : n * 2;
                    doubles = Arrays.copyOf(doubles, room);
                    if (longs != null) {
                        longs = Arrays.copyOf(longs, room);
                        integral = Arrays.copyOf(integral, room);
                    }
                }
                int start = pos;
                if (fastFraction()) {
                    doubles[n++] = fastValue;
                } else if (scanNumber()) {
                    long exact = integerOrFlag(start);
                    if (exact != NOT_A_LONG) {
                        if (longs == null) {
                            longs = new long[doubles.length];
                            integral = new boolean[doubles.length];
                        }
                        longs[n] = exact;
                        integral[n] = true;
                        n++;
                    } else {
                        // Too big for a long: keep it exact in a general array.
                        values = general(new NumberArray(n, doubles, longs, integral));
                        values.add(JSON.createValue(new BigDecimal(ascii(start, pos))));
                    }
                } else {
                    double d = Double.parseDouble(ascii(start, pos));
                    if (Double.isFinite(d)) {
                        doubles[n++] = d;
                    } else {
                        values = general(new NumberArray(n, doubles, longs, integral));
                        values.add(infinite(d));
                    }
                }
            } else {
                if (values == null) {
                    values = general(new NumberArray(n, doubles, longs, integral));
                }
                values.add(value(depth));
            }
            if (!another(']')) {
                break;
            }
        }
        if (values == null) {
            longestNumbers = Math.max(longestNumbers, n);
            return new NumberArray(n, doubles, longs, integral);
        }
        JsonArrayBuilder array = JSON.createArrayBuilder();
        values.forEach(array::add);
        return array.build();
    }

    /** After a member or element: true at a comma (another follows), false at {@code close}, else a 400. */
    private boolean another(char close) {
        skipWhitespace();
        if (peek() == ',') {
            pos++;
            skipWhitespace();
            return true;
        }
        expect(close);
        return false;
    }

    /** Not all numbers after all: a general array holding what was read so far. */
    private static List<JsonValue> general(NumberArray numbers) {
        List<JsonValue> values = new ArrayList<>(numbers.size() + 4);
        values.addAll(numbers);
        return values;
    }

    /** The value {@link #fastFraction} read. */
    private double fastValue;

    /**
     * One pass over the commonest number of a vector, a fraction such as {@code -0.0123456} or
     * {@code 2.5392897E-4}: when it has at most 18 significant digits, a mantissa of at most 2^53 and a power of
     * ten within 10^±22, both are exact doubles, so one correctly rounded multiplication or division gives what
     * {@link Double#parseDouble} would (Clinger's fast path); then it sets {@link #fastValue}, moves past the
     * number and returns true. Anything else, including every malformed number, returns false with nothing
     * consumed, for the general path ({@link #scanNumber}, then the JDK) to read or refuse.
     */
    private boolean fastFraction() {
        byte[] in = this.in;
        int p = pos;
        int end = in.length;
        boolean negative = p < end && in[p] == '-';
        if (negative) {
            p++;
        }
        if (p >= end) {
            return false;
        }
        long mantissa = 0;
        int significant = 0;
        byte b = in[p];
        if (b == '0') {
            p++;
        } else if (b >= '1' && b <= '9') {
            int first = p;
            while (p < end && (b = in[p]) >= '0' && b <= '9') {
                mantissa = mantissa * 10 + (b - '0');
                p++;
            }
            significant = p - first;
        } else {
            return false;
        }
        if (p + 1 >= end || in[p] != '.' || in[p + 1] < '0' || in[p + 1] > '9') {
            return false; // an integer, or malformed: the general path decides
        }
        p++;
        int fraction = p;
        if (mantissa == 0) {
            while (p < end && in[p] == '0') {
                p++; // the zeros of 0.00123 are not significant
            }
        }
        int digits = p;
        while (p < end && (b = in[p]) >= '0' && b <= '9') {
            mantissa = mantissa * 10 + (b - '0');
            p++;
        }
        significant += p - digits;
        int scale = p - fraction;
        if (significant > 18) {
            return false;
        }
        int exponent = -scale;
        if (p < end && (in[p] == 'e' || in[p] == 'E')) {
            p++;
            boolean negativeExponent = p < end && in[p] == '-';
            if (p < end && (in[p] == '-' || in[p] == '+')) {
                p++;
            }
            int e = 0;
            int exponentStart = p;
            while (p < end && (b = in[p]) >= '0' && b <= '9') {
                e = e * 10 + (b - '0');
                if (++p - exponentStart > 4) {
                    return false;
                }
            }
            if (p == exponentStart) {
                return false;
            }
            exponent += negativeExponent ? -e : e;
        }
        if (mantissa > MAX_EXACT_MANTISSA || exponent < -22 || exponent > 22) {
            return false;
        }
        double value = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
        fastValue = negative ? -value : value;
        pos = p;
        return true;
    }

    private JsonValue number() {
        if (fastFraction()) {
            return JSON.createValue(fastValue);
        }
        int start = pos;
        if (scanNumber()) {
            long exact = integerOrFlag(start);
            return exact != NOT_A_LONG ? JSON.createValue(exact) : JSON.createValue(new BigDecimal(ascii(start, pos)));
        }
        double d = Double.parseDouble(ascii(start, pos));
        return Double.isFinite(d) ? JSON.createValue(d) : infinite(d);
    }

    // 1e400 parses to infinity: keep its magnitude visible to range checks instead of an invalid value.
    private static JsonValue infinite(double d) {
        BigDecimal huge = BigDecimal.TEN.pow(400);
        return JSON.createValue(d > 0 ? huge : huge.negate());
    }

    /**
     * Moves past one number of the JSON grammar ({@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}) and
     * tells whether it is written as an integer.
     */
    private boolean scanNumber() {
        if (peek() == '-') {
            pos++;
        }
        int c = peek();
        if (c == '0') {
            pos++;
            if (isDigit(peek())) {
                throw malformed("leading zero in a number" + at(pos));
            }
        } else if (isDigit(c)) {
            skipDigits();
        } else {
            throw pos >= in.length ? error("unexpected end of input") : unexpected();
        }
        boolean integer = true;
        if (peek() == '.') {
            pos++;
            requireDigit();
            skipDigits();
            integer = false;
        }
        c = peek();
        if (c == 'e' || c == 'E') {
            pos++;
            c = peek();
            if (c == '+' || c == '-') {
                pos++;
            }
            requireDigit();
            skipDigits();
            integer = false;
        }
        return integer;
    }

    private static final long NOT_A_LONG = Long.MIN_VALUE + 1; // never the value of a 19-digit literal we keep

    /** The integer literal in [start, pos) as a long, or {@link #NOT_A_LONG} when it does not fit. */
    private long integerOrFlag(int start) {
        int digits = pos - start - (in[start] == '-' ? 1 : 0);
        if (digits < 19) {
            boolean negative = in[start] == '-';
            long v = 0;
            for (int i = negative ? start + 1 : start; i < pos; i++) {
                v = v * 10 + (in[i] - '0');
            }
            return negative ? -v : v;
        }
        try {
            long v = Long.parseLong(ascii(start, pos));
            return v == NOT_A_LONG ? NOT_A_LONG : v; // that one value takes the (exact) BigDecimal path
        } catch (NumberFormatException e) {
            return NOT_A_LONG;
        }
    }

    private String string() {
        pos++; // opening quote
        int start = pos;
        boolean ascii = true;
        while (pos < in.length) {
            byte c = in[pos];
            if (c == '"') {
                String s = ascii ? ascii(start, pos) : utf8(start, pos);
                pos++;
                return s;
            }
            if (c == '\\') {
                return escapedString(start);
            }
            if (c < 0) {
                ascii = false;
            } else if (c < 0x20) {
                throw malformed("unescaped control character in a string" + at(pos));
            }
            pos++;
        }
        throw error("unterminated string");
    }

    /** The slow path, from the first backslash on. */
    private String escapedString(int start) {
        StringBuilder s = new StringBuilder(Math.max(16, (pos - start) * 2));
        int run = start; // start of the current run of plain bytes
        while (pos < in.length) {
            byte c = in[pos];
            if (c == '"') {
                s.append(utf8(run, pos));
                pos++;
                return noLoneSurrogates(s.toString());
            }
            if (c == '\\') {
                s.append(utf8(run, pos));
                pos++;
                if (pos >= in.length) {
                    break;
                }
                byte e = in[pos++];
                switch (e) {
                    case '"' -> s.append('"');
                    case '\\' -> s.append('\\');
                    case '/' -> s.append('/');
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'n' -> s.append('\n');
                    case 'r' -> s.append('\r');
                    case 't' -> s.append('\t');
                    case 'u' -> s.append(hexChar());
                    default -> throw malformed("invalid escape in a string" + at(pos - 1));
                }
                run = pos;
                continue;
            }
            if (c >= 0 && c < 0x20) {
                throw malformed("unescaped control character in a string" + at(pos));
            }
            pos++;
        }
        throw error("unterminated string");
    }

    private char hexChar() {
        if (pos + 4 > in.length) {
            throw error("unterminated string");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(in[pos], 16);
            if (d < 0 || in[pos] < 0) {
                throw malformed("invalid \\u escape in a string" + at(pos));
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    /**
     * Refuses lone surrogates ({@code "\ud800"} escapes): they are not text, cannot be stored as UTF-8, and
     * would silently become "?" and collide with a real "?".
     */
    private String noLoneSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw malformed("string with an unpaired surrogate escape");
            }
        }
        return s;
    }

    private JsonValue literal(String word, JsonValue value) {
        for (int k = 0; k < word.length(); k++) {
            if (pos >= in.length) {
                throw error("unexpected end of input");
            }
            if (in[pos] != word.charAt(k)) {
                throw unexpected();
            }
            pos++;
        }
        return value;
    }

    private String ascii(int start, int end) {
        return new String(in, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Decodes a UTF-8 slice, refusing malformed bytes instead of replacing them with U+FFFD. */
    private String utf8(int start, int end) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(in, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("invalid UTF-8");
        }
    }

    private void skipWhitespace() {
        while (pos < in.length) {
            byte c = in[pos];
            // one comparison for the common case: every JSON whitespace character is at most ' '
            if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
                return;
            }
            pos++;
        }
    }

    private void skipDigits() {
        while (pos < in.length && isDigit(in[pos])) {
            pos++;
        }
    }

    private void requireDigit() {
        if (!isDigit(peek())) {
            throw pos >= in.length ? error("unexpected end of input") : unexpected();
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private int peek() {
        return pos < in.length ? in[pos] : -1;
    }

    private void expect(char c) {
        if (pos >= in.length) {
            throw error("unexpected end of input");
        }
        if (in[pos] != c) {
            throw unexpected();
        }
        pos++;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private ApiException unexpected() {
        int c = in[pos] & 0xFF;
        String shown = c >= 0x21 && c <= 0x7E ? "'" + (char) c + "'" : String.format("byte 0x%02X", c);
        return malformed("unexpected character " + shown + at(pos));
    }

    private ApiException error(String what) {
        return malformed(what + at(Math.min(pos, in.length)));
    }

    /** " at line L column C" of a byte offset (columns count bytes, like most parsers of UTF-8). */
    private String at(int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < in.length; i++) {
            if (in[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return " at line " + line + " column " + (offset - lineStart + 1);
    }

    private static ApiException malformed(String detail) {
        return ApiException.badRequest("Failed to parse the request body as JSON: " + detail);
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
