package io.vectormemory.tests.reliability;

import io.helidon.http.Method;
import io.vectormemory.http.Route;
import io.vectormemory.tests.support.Paths;
import io.vectormemory.tests.support.Samples;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A seeded generator of requests that are wrong by construction, for every route of the table: each one must be
 * refused with a 4xx JSON error and change nothing. The same seed gives the same requests in the same order.
 * <p>
 * Requests are built from the valid sample of each route ({@link Samples}) by one defect at a time, so a request
 * that is accepted points at exactly one missing check.
 */
final class HostileRequests {
    /** Body fields that may legitimately be absent or null: removing them or nulling them is not a defect. */
    private static final Set<String> OPTIONAL = Set.of("namespace", "limit", "min_score", "category", "group_key",
            "message_id", "offset");
    private static final Set<String> I64 = Set.of("user_id", "file_id", "created", "updated", "message_id");
    private static final Set<String> I32 = Set.of("file_type", "chunk_index", "start_line", "end_line");
    private static final List<String> STRANGE_METHODS = List.of("FOO", "PROPFIND", "PUT", "PATCH", "TRACE",
            "CONNECT", "MKCOL", "G\u00C9T");

    private final Random random;
    private final int dimension;
    private final long maxBodyBytes;
    private final String key;
    private final List<HostileProbe> probes = new ArrayList<>();

    HostileRequests(long seed, int dimension, long maxBodyBytes, String key) {
        this.random = new Random(seed);
        this.dimension = dimension;
        this.maxBodyBytes = maxBodyBytes;
        this.key = key;
    }

    List<HostileProbe> all() {
        for (Route route : Route.values()) {
            Samples.Request sample = Samples.valid(route, dimension);
            if (sample.json() != null) {
                bodyDefects(route, sample);
            }
            pathDefects(route);
            protocolDefects(route, sample);
            foreignServer(route, sample);
        }
        return List.copyOf(probes);
    }

    // ---------------------------------------------------------------- bodies (POST routes)

    private void bodyDefects(Route route, Samples.Request sample) {
        String json = sample.json();
        JsonValue tree = parse(json);
        String path = sample.path();

        // Truncated anywhere: a strict prefix of an object is never JSON.
        Set<Integer> cuts = new java.util.TreeSet<>(List.of(0, 1, json.length() / 2, json.length() - 1));
        while (cuts.size() < 12) {
            cuts.add(1 + random.nextInt(json.length() - 1));
        }
        for (int cut : cuts) {
            body("truncated JSON", route, path, "cut at " + cut + "/" + json.length(),
                    json.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        }

        // One structural character removed or replaced; kept only if the result is really not JSON.
        for (int i = 0, made = 0; made < 8 && i < 200; i++) {
            int at = random.nextInt(json.length());
            char c = json.charAt(at);
            if ("{}[]:,\"".indexOf(c) < 0) {
                continue;
            }
            String[] replacements = {"", "'", "\\", "}", "]", ";", "\u0000", "@", ",,"};
            String r = replacements[random.nextInt(replacements.length)];
            String broken = json.substring(0, at) + r + json.substring(at + 1);
            if (isJson(broken)) {
                continue;
            }
            body("malformed JSON", route, path, "'" + c + "' at " + at + " → '" + printable(r) + "'",
                    broken.getBytes(StandardCharsets.UTF_8));
            made++;
        }
        for (String broken : List.of("", " ", "{", "}", "[", "{]", "{\"a\":}", "{\"a\" 1}", "{a:1}", "{'a':1}",
                "{\"a\":1,}", "[1,]", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":+1}",
                "{\"a\":01}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":0x10}", "{\"a\":1e}", "/*c*/{}", "{}//c",
                "{\"a\":\"\u0001\"}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"a\":tru}", "{\"a\":nul}",
                "{}{}", "{} x", json + "}", json + json, "null", "true", "42", "\"text\"", "[]", "[" + json + "]")) {
            body("malformed JSON", route, path, "literal " + printable(shorten(broken)),
                    broken.getBytes(StandardCharsets.UTF_8));
        }
        // Vector elements that JSON cannot express, or that no 32-bit float can hold.
        List<List<Object>> vectorPaths = new ArrayList<>();
        leaves(tree, new ArrayList<>(), vectorPaths);
        for (List<Object> p : vectorPaths) {
            if (p.size() >= 2 && p.get(p.size() - 1) instanceof Integer && isVectorField(p.get(p.size() - 2))) {
                for (String literal : List.of("NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e39", "-3.5e38")) {
                    body("NaN, Infinity, out-of-range float", route, path, pathText(p) + " = " + literal,
                            replaceRaw(tree, p, literal).getBytes(StandardCharsets.UTF_8));
                }
                break;
            }
        }

        wrongTypes(route, path, tree);
        outOfRange(route, path, tree);
        sizes(route, path, json);
        contentTypes(route, path, json);
        duplicateKeys(route, path, json);
        unicode(route, path, tree);
    }

    private void wrongTypes(Route route, String path, JsonValue tree) {
        List<List<Object>> leaves = new ArrayList<>();
        leaves(tree, new ArrayList<>(), leaves);
        List<Object[]> candidates = new ArrayList<>();
        for (List<Object> p : leaves) {
            Object last = p.get(p.size() - 1);
            if (last instanceof Integer i && i > 0) {
                continue; // one element per array is enough
            }
            JsonValue original = at(tree, p);
            String name = fieldName(p);
            boolean optional = OPTIONAL.contains(name);
            List<JsonValue> wrong = new ArrayList<>();
            switch (original.getValueType()) {
                case STRING -> wrong.addAll(List.of(num(1), num(1.5), JsonValue.TRUE, JsonValue.EMPTY_JSON_OBJECT,
                        JsonValue.EMPTY_JSON_ARRAY, Json.createArrayBuilder().add("x").build()));
                case NUMBER -> {
                    wrong.addAll(List.of(str("1"), str("x"), JsonValue.TRUE, JsonValue.EMPTY_JSON_OBJECT,
                            JsonValue.EMPTY_JSON_ARRAY));
                    if (((JsonNumber) original).isIntegral()) {
                        wrong.add(num(1.5));
                    }
                }
                case TRUE, FALSE -> wrong.addAll(List.of(str("true"), num(1), num(0), JsonValue.EMPTY_JSON_OBJECT,
                        str("yes")));
                case OBJECT -> wrong.addAll(List.of(str("x"), num(1), JsonValue.EMPTY_JSON_ARRAY, JsonValue.TRUE));
                case ARRAY -> wrong.addAll(List.of(str("x"), num(1), JsonValue.EMPTY_JSON_OBJECT, JsonValue.TRUE,
                        Json.createArrayBuilder().add("x").build()));
                default -> {
                }
            }
            if (!optional) {
                wrong.add(JsonValue.NULL);
            }
            for (JsonValue w : wrong) {
                candidates.add(new Object[] {p, w});
            }
            if (!optional && !(last instanceof Integer)) {
                candidates.add(new Object[] {p, null}); // removed
            }
        }
        Collections.shuffle(candidates, random);
        for (Object[] c : candidates.subList(0, Math.min(36, candidates.size()))) {
            @SuppressWarnings("unchecked")
            List<Object> p = (List<Object>) c[0];
            JsonValue w = (JsonValue) c[1];
            String body = w == null ? remove(tree, p).toString() : replace(tree, p, w).toString();
            body(w == null ? "missing required field" : "wrong type", route, path,
                    pathText(p) + (w == null ? " removed" : " = " + shorten(w.toString())),
                    body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void outOfRange(Route route, String path, JsonValue tree) {
        List<List<Object>> leaves = new ArrayList<>();
        leaves(tree, new ArrayList<>(), leaves);
        for (List<Object> p : leaves) {
            String name = fieldName(p);
            List<String> literals;
            if (I64.contains(name)) {
                literals = List.of("9223372036854775808", "-9223372036854775809", "1e19", "1.5",
                        "123456789012345678901234567890", "1e1000000000", "1e-1000000000");
            } else if (I32.contains(name)) {
                literals = List.of("2147483648", "-2147483649", "1e10", "0.5");
            } else {
                continue;
            }
            for (String literal : literals) {
                body("out-of-range number", route, path, pathText(p) + " = " + literal,
                        replaceRaw(tree, p, literal).getBytes(StandardCharsets.UTF_8));
            }
        }
        // A hundred thousand digits: refused without turning them into a number first.
        List<Object> user = leaves.stream().filter(p -> "user_id".equals(fieldName(p))).findFirst().orElse(null);
        if (user != null) {
            body("out-of-range number", route, path, pathText(user) + " = 100000 digits",
                    replaceRaw(tree, user, "9".repeat(100_000)).getBytes(StandardCharsets.UTF_8));
        }
        if (route == Route.MEMORY_SEARCH || route == Route.DOCUMENT_SEARCH || route == Route.MEMORY_SCROLL) {
            String max = route == Route.MEMORY_SCROLL ? "10001" : "101";
            for (String limit : List.of("0", "-1", max, "4294967296", "18446744073709551616", "1.5", "1e1000000000")) {
                JsonObject o = tree.asJsonObject();
                String body = o.toString().substring(0, o.toString().length() - 1) + ",\"limit\":" + limit + "}";
                body("out-of-range number", route, path, "limit = " + limit, body.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void sizes(Route route, String path, String json) {
        // Over the body limit, with and without a declared length.
        byte[] over = padded(json, maxBodyBytes + 1);
        body("oversized body", route, path, (maxBodyBytes + 1) + " bytes", over);
        body("oversized body", route, path, 3 * maxBodyBytes + " bytes", padded(json, 3 * maxBodyBytes));
        probes.add(HostileProbe.chunked("oversized body", route, path, "chunked, " + (maxBodyBytes * 3 / 2) + " bytes",
                padded(json, maxBodyBytes * 3 / 2)));
        // Within the limit but absurd: deep nesting and giant tokens where a number belongs.
        int depth = (int) Math.min(200_000, maxBodyBytes / 2 - 64);
        body("deeply nested body", route, path, "arrays " + depth + " deep",
                ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8));
        body("deeply nested body", route, path, "unclosed, " + depth + " deep",
                ("{\"a\":" + "[".repeat(depth)).getBytes(StandardCharsets.UTF_8));
        JsonValue tree = parse(json);
        List<List<Object>> leaves = new ArrayList<>();
        leaves(tree, new ArrayList<>(), leaves);
        List<Object> user = leaves.stream().filter(p -> "user_id".equals(fieldName(p))).findFirst().orElse(null);
        if (user != null) {
            body("deeply nested body", route, path, pathText(user) + " = objects 5000 deep",
                    replaceRaw(tree, user, "{\"a\":".repeat(5000) + "1" + "}".repeat(5000))
                            .getBytes(StandardCharsets.UTF_8));
            String giant = "x".repeat((int) (maxBodyBytes * 3 / 4));
            body("giant string", route, path, pathText(user) + " = " + giant.length() + "-character string",
                    replaceRaw(tree, user, "\"" + giant + "\"").getBytes(StandardCharsets.UTF_8));
        }
        List<Object> namespaceAt = switch (route) {
            case MEMORY_UPSERT, MEMORY_SEARCH, MEMORY_SCROLL -> List.of();
            case MEMORY_BATCH -> List.of("points", 0);
            default -> null;
        };
        if (namespaceAt != null) {
            JsonObject holder = at(tree, namespaceAt).asJsonObject();
            JsonObject withNamespace = Json.createObjectBuilder(holder).add("namespace", "n".repeat(100_000)).build();
            String text = namespaceAt.isEmpty() ? withNamespace.toString()
                    : replace(tree, namespaceAt, withNamespace).toString();
            body("giant string", route, path, "namespace of 100000 characters", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void contentTypes(Route route, String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        for (String ct : new String[] {null, "", "text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonx", "application/json,text/plain", "*/*",
                "application/", "json", "text/json"}) {
            probes.add(HostileProbe.http("wrong or missing content type", route, route.method().text(), path,
                    ct == null ? "none" : "'" + ct + "'", ct, body, List.of()));
        }
    }

    private void duplicateKeys(Route route, String path, String json) {
        // The first key again, with another value, at the top and inside the first nested object.
        int colon = json.indexOf(':');
        String firstKey = json.substring(1, colon);
        String dup = "{" + firstKey + ":" + "\"other\"," + json.substring(1);
        body("duplicate keys", route, path, "top-level " + firstKey, dup.getBytes(StandardCharsets.UTF_8));
        int inner = json.indexOf('{', 1);
        if (inner > 0) {
            int innerColon = json.indexOf(':', inner);
            String innerKey = json.substring(inner + 1, innerColon);
            String nested = json.substring(0, inner + 1) + innerKey + ":0," + json.substring(inner + 1);
            body("duplicate keys", route, path, "nested " + innerKey, nested.getBytes(StandardCharsets.UTF_8));
        }
        int comma = json.indexOf(',', colon);
        String firstValue = json.substring(colon, comma > 0 ? comma : json.length() - 1);
        String same = "{" + firstKey + firstValue + "," + json.substring(1);
        if (!firstValue.contains("{") && !firstValue.contains("[")) {
            body("duplicate keys", route, path, "top-level " + firstKey + " twice, same value",
                    same.getBytes(StandardCharsets.UTF_8));
        }
    }

    private void unicode(Route route, String path, JsonValue tree) {
        List<List<Object>> leaves = new ArrayList<>();
        leaves(tree, new ArrayList<>(), leaves);
        List<List<Object>> strings = leaves.stream().filter(p -> at(tree, p).getValueType() == JsonValue.ValueType.STRING)
                .toList();
        if (strings.isEmpty()) {
            return;
        }
        for (String escaped : List.of("\\ud800", "\\udc00", "a\\udbff", "\\udc00\\ud800", "x\\ud83d")) {
            List<Object> p = strings.get(random.nextInt(strings.size()));
            body("invalid Unicode", route, path, pathText(p) + " = \"" + escaped + "\" (lone surrogate)",
                    replaceRaw(tree, p, "\"" + escaped + "\"").getBytes(StandardCharsets.UTF_8));
        }
        byte[][] rawBytes = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}};
        for (byte[] bad : rawBytes) {
            List<Object> p = strings.get(random.nextInt(strings.size()));
            String marker = "\u0007MARK\u0007";
            String text = replaceRaw(tree, p, "\"" + marker + "\"");
            int at = text.indexOf(marker);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(bad);
            out.writeBytes(text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
            body("invalid Unicode", route, path, pathText(p) + " holds raw bytes " + hex(bad), out.toByteArray());
        }
        List<Object> p = strings.get(random.nextInt(strings.size()));
        body("invalid Unicode", route, path, pathText(p) + " holds a raw control character",
                replaceRaw(tree, p, "\"a\u0001b\"").getBytes(StandardCharsets.UTF_8));
        // The whole body in UTF-16: JSON exchanged between systems must be UTF-8 (RFC 8259 8.1).
        body("invalid Unicode", route, path, "body in UTF-16", tree.toString().getBytes(StandardCharsets.UTF_16));
    }

    // ---------------------------------------------------------------- paths and query strings

    private void pathDefects(Route route) {
        String template = route.template();
        String method = route.method().text();
        List<String[]> paths = new ArrayList<>(); // {path, why}
        if (template.contains("{user_id}")) {
            for (String bad : List.of("abc", "1.0", "1e3", "0x1", "9223372036854775808", "-9223372036854775809",
                    "%201", "1%20", "%EF%BC%91", "%D9%A3", "-", "1;2", "1%00", "%", "%G1", "%C0%AF", "1,2", "++1")) {
                paths.add(new String[] {template.replace("{user_id}", bad), "user_id '" + bad + "'"});
            }
        }
        if (template.contains("{point_id}")) {
            for (String bad : List.of("%", "%4", "%G1", "%C0%AF", "%ED%A0%80", "%FF%FE", "a%2", "%F4%90%80%80")) {
                paths.add(new String[] {template.replace("{point_id}", bad), "percent-encoding '" + bad + "'"});
            }
            if (route.method() == Method.GET) {
                // Well-formed but not stored (GET only: deleting an absent id is a legitimate 200).
                for (String odd : List.of("..%2F..%2Fhealth", "%2e%2e", "%00", "%2F", "..", ".", "%E2%80%AE",
                        "a".repeat(3000), "%F0%9F%92%A9", "..%5C..%5Cetc%5Cpasswd")) {
                    paths.add(new String[] {template.replace("{point_id}", odd),
                            "absent id '" + shorten(odd) + "'"});
                }
            }
        }
        String concrete = Paths.of(route, "mem_1_1", 1);
        paths.add(new String[] {concrete + "/", "trailing slash"});
        paths.add(new String[] {"/" + concrete, "double slash"});
        paths.add(new String[] {concrete.replaceFirst("/", "/./"), "dot segment"});
        paths.add(new String[] {"/x/.." + concrete, "dot-dot segment"});
        paths.add(new String[] {concrete.replace("/", "%2F"), "encoded slashes"});
        paths.add(new String[] {concrete.replaceFirst("/", "/%"), "stray percent"});
        paths.add(new String[] {concrete.toUpperCase(java.util.Locale.ROOT), "upper case"});
        paths.add(new String[] {concrete + "/extra", "extra segment"});
        if (route.method() != Method.DELETE || !template.contains("{point_id}")) {
            // (for DELETE by id this is just an odd id, and deleting an absent id is a legitimate 200)
            paths.add(new String[] {concrete + ";jsessionid=1", "path parameter"});
        }
        if (concrete.startsWith("/memories") || concrete.startsWith("/collection")) {
            String sep = concrete.contains("?") ? "&" : "?";
            if (route.method() == Method.GET || route.method() == Method.DELETE) {
                paths.add(new String[] {concrete + sep + "namespace=" + "n".repeat(300), "namespace too long"});
                paths.add(new String[] {concrete + sep + "namespace=%", "namespace bad encoding"});
            }
        }
        String auth = "X-API-Key: " + key + "\r\n";
        for (String[] p : paths) {
            if (route.method() == Method.POST) {
                Samples.Request s = Samples.valid(route, dimension);
                probes.add(HostileProbe.raw("path trick", route, p[1],
                        request(method, p[0], auth + "Content-Type: application/json\r\n", s.body())));
            } else {
                probes.add(HostileProbe.raw("path trick", route, p[1], request(method, p[0], auth, null)));
            }
        }
    }

    // ---------------------------------------------------------------- methods, headers, framing

    private void protocolDefects(Route route, Samples.Request sample) {
        String path = sample.path();
        for (String m : STRANGE_METHODS) {
            probes.add(HostileProbe.raw("unknown method", route, m,
                    (m + " " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key
                            + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
        }
        byte[] body = sample.body();
        String ct = body == null ? "" : "Content-Type: application/json\r\n";
        String method = route.method().text();
        String[][] headerTricks = {
                {"X-Padding: " + "p".repeat(20_000) + "\r\n", "20 kB header value"},
                {"X-" + "n".repeat(20_000) + ": v\r\n", "20 kB header name"},
                {manyHeaders(300), "300 headers"},
                {"Bad Header: v\r\n", "space in a header name"},
                {"X-A: a\u0000b\r\n", "NUL in a header value"},
                {"X-A: a\r\n folded\r\n", "obsolete line folding"},
                {"X-API-Key: " + key + "\r\nX-API-Key: " + key + "\r\nContent-Length: 5\r\nContent-Length: 7\r\n",
                        "conflicting Content-Length"},
        };
        for (String[] t : headerTricks) {
            probes.add(HostileProbe.raw("over-long or malformed header", route, t[1],
                    request(method, path, "X-API-Key: " + key + "\r\n" + ct + t[0], body)));
        }
        // An over-long or strange request id on a refused request (no key, or an unknown path for the open
        // routes): the refusal carries a fresh request id, not the client's.
        String refusedPath = route.access() == Route.Access.OPEN ? path + "/" : path;
        for (String id : List.of("r".repeat(5_000), "id with spaces", "\u00e9t\u00e9", "a\tb")) {
            probes.add(HostileProbe.raw("over-long or malformed request id", route, shorten(id),
                    request(method, refusedPath, ct + "X-Request-Id: " + id + "\r\n", body)));
        }
        probes.add(HostileProbe.raw("over-long URI", route, "8 kB query", request(method,
                path + (path.contains("?") ? "&" : "?") + "q=" + "q".repeat(8_000), "X-API-Key: " + key + "\r\n"
                        + ct, body)));
        probes.add(HostileProbe.raw("protocol version", route, "HTTP/1.0", (method + " " + path
                + " HTTP/1.0\r\nX-API-Key: " + key + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
        probes.add(HostileProbe.raw("protocol version", route, "HTTP/2.0 request line", (method + " " + path
                + " HTTP/2.0\r\nHost: localhost\r\nX-API-Key: " + key + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
        probes.add(HostileProbe.raw("protocol version", route, "no Host header", (method + " " + path
                + " HTTP/1.1\r\nX-API-Key: " + key + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key + "\r\n" + ct;
            String json = sample.json();
            String[][] framing = {
                    {"Transfer-Encoding: chunked\r\n\r\nZZ\r\n" + json + "\r\n0\r\n\r\n", "chunk size not hex"},
                    {"Transfer-Encoding: chunked\r\nContent-Length: " + json.length() + "\r\n\r\n"
                            + Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n",
                            "both Transfer-Encoding and Content-Length"},
                    {"Transfer-Encoding: gzip\r\n\r\n" + json, "Transfer-Encoding gzip"},
                    {"Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", "chunked twice"},
                    {"Content-Encoding: gzip\r\nContent-Length: " + json.length() + "\r\n\r\n" + json,
                            "Content-Encoding gzip, body not gzipped"},
                    {"Content-Encoding: br\r\nContent-Length: " + json.length() + "\r\n\r\n" + json,
                            "unsupported Content-Encoding"},
                    {"Content-Length: -5\r\n\r\n" + json, "negative Content-Length"},
                    {"Content-Length: 1e3\r\n\r\n" + json, "Content-Length not a number"},
                    {"Content-Length: " + (maxBodyBytes + 1) + "\r\nExpect: 100-continue\r\n\r\n",
                            "Expect 100-continue over the limit"},
                    {"Content-Length: " + (maxBodyBytes * 100) + "\r\nExpect: 100-continue\r\n\r\n",
                            "Expect 100-continue far over the limit"},
            };
            for (String[] f : framing) {
                probes.add(HostileProbe.raw("broken framing", route, f[1],
                        (head + f[0]).getBytes(StandardCharsets.UTF_8)));
            }
            probes.add(HostileProbe.halfClosed("broken framing", route, "body shorter than Content-Length",
                    (head + "Content-Length: " + (json.length() + 100) + "\r\n\r\n" + json)
                            .getBytes(StandardCharsets.UTF_8)));
            probes.add(HostileProbe.halfClosed("broken framing", route, "chunk shorter than declared",
                    (head + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(json.length() + 50) + "\r\n"
                            + json + "\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The route's sample sent to a function that does not serve it: 404 there, nothing done. */
    private void foreignServer(Route route, Samples.Request sample) {
        probes.add(HostileProbe.foreign("wrong function", route, "to another function's server", sample));
    }

    // ---------------------------------------------------------------- helpers

    private void body(String category, Route route, String path, String label, byte[] body) {
        probes.add(HostileProbe.http(category, route, route.method().text(), path, label, "application/json", body,
                List.of()));
    }

    private byte[] request(String method, String path, String headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static String manyHeaders(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("X-Header-").append(i).append(": ").append("v".repeat(60)).append("\r\n");
        }
        return b.toString();
    }

    /** The sample's JSON inside {@code {"pad": "...", ...}} grown to exactly {@code size} bytes. */
    private static byte[] padded(String json, long size) {
        String prefix = "{\"pad\":\"";
        String suffix = "\"," + json.substring(1);
        long pad = size - prefix.length() - suffix.length();
        return (prefix + "p".repeat((int) Math.max(0, pad)) + suffix).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isVectorField(Object name) {
        return "vector".equals(name) || "query_vector".equals(name);
    }

    private static JsonValue parse(String json) {
        try (var r = Json.createReader(new StringReader(json))) {
            return r.readValue();
        }
    }

    /** Whether a strict parser takes the text as one JSON value. */
    static boolean isJson(String text) {
        try (JsonParser p = Json.createParser(new StringReader(text))) {
            if (!p.hasNext()) {
                return false;
            }
            p.next();
            p.getValue();
            return !p.hasNext();
        } catch (JsonParsingException | IllegalStateException | java.util.NoSuchElementException e) {
            return false;
        } catch (jakarta.json.JsonException e) {
            return false;
        }
    }

    /** Paths (keys and array indexes) of every scalar, and of every empty or non-empty container, in the tree. */
    private static void leaves(JsonValue v, List<Object> path, List<List<Object>> out) {
        if (!path.isEmpty()) {
            out.add(List.copyOf(path));
        }
        switch (v.getValueType()) {
            case OBJECT -> v.asJsonObject().forEach((k, child) -> {
                path.add(k);
                leaves(child, path, out);
                path.remove(path.size() - 1);
            });
            case ARRAY -> {
                JsonArray a = v.asJsonArray();
                for (int i = 0; i < a.size(); i++) {
                    path.add(i);
                    leaves(a.get(i), path, out);
                    path.remove(path.size() - 1);
                }
            }
            default -> {
            }
        }
    }

    private static JsonValue at(JsonValue v, List<Object> path) {
        for (Object step : path) {
            v = step instanceof Integer i ? v.asJsonArray().get(i) : v.asJsonObject().get((String) step);
        }
        return v;
    }

    private static String fieldName(List<Object> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i) instanceof String s) {
                return s;
            }
        }
        return "";
    }

    private static JsonValue replace(JsonValue v, List<Object> path, JsonValue with) {
        return rebuild(v, path, 0, with, false);
    }

    private static JsonValue remove(JsonValue v, List<Object> path) {
        return rebuild(v, path, 0, null, true);
    }

    private static JsonValue rebuild(JsonValue v, List<Object> path, int depth, JsonValue with, boolean remove) {
        if (depth == path.size()) {
            return with;
        }
        Object step = path.get(depth);
        if (v.getValueType() == JsonValue.ValueType.OBJECT) {
            JsonObjectBuilder b = Json.createObjectBuilder();
            v.asJsonObject().forEach((k, child) -> {
                if (k.equals(step)) {
                    if (!(remove && depth == path.size() - 1)) {
                        b.add(k, rebuild(child, path, depth + 1, with, remove));
                    }
                } else {
                    b.add(k, child);
                }
            });
            return b.build();
        }
        JsonArrayBuilder b = Json.createArrayBuilder();
        JsonArray a = v.asJsonArray();
        for (int i = 0; i < a.size(); i++) {
            if (step.equals(i)) {
                if (!(remove && depth == path.size() - 1)) {
                    b.add(rebuild(a.get(i), path, depth + 1, with, remove));
                }
            } else {
                b.add(a.get(i));
            }
        }
        return b.build();
    }

    /** The tree as text with the value at {@code path} replaced by raw text (which need not be JSON). */
    private static String replaceRaw(JsonValue tree, List<Object> path, String raw) {
        String marker = "__RAW_" + Long.toHexString(System.nanoTime()) + "__";
        String text = replace(tree, path, Json.createValue(marker)).toString();
        return text.replace("\"" + marker + "\"", raw);
    }

    private static String pathText(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else {
                b.append(b.isEmpty() ? "" : ".").append(step);
            }
        }
        return b.toString();
    }

    private static JsonValue num(double d) {
        return Json.createValue(d);
    }

    private static JsonValue num(long l) {
        return Json.createValue(l);
    }

    private static JsonValue str(String s) {
        return Json.createValue(s);
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + ")" : s;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
