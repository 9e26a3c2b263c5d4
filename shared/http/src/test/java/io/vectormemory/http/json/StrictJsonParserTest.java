package io.vectormemory.http.json;

import io.vectormemory.http.ApiException;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StrictJsonParserTest {
    private static JsonValue parse(String json) {
        return JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonFields fields(String json) {
        return JsonFields.of(parse(json), "");
    }

    @Test
    void numberArraysBecomeFloatsRoundedViaDouble() {
        float[] v = fields("{\"v\":[0.1, -2, 3.4028235e38, 1e-50, 16777217]}").requiredVector("v");
        assertArrayEquals(new float[] {(float) 0.1d, -2f, 3.4028235e38f, 0f, 16777216f}, v);
        assertThat(parse("{\"v\":[1,2]}").asJsonObject().get("v"), instanceOf(NumberArray.class));
    }

    @Test
    void mixedArraysKeepEveryElementInOrder() {
        JsonArray a = parse("[1, 2.5, \"x\", null, [3], {\"k\":4}]").asJsonArray();
        assertThat(a.toString(), is("[1,2.5,\"x\",null,[3],{\"k\":4}]"));
    }

    @Test
    void integersInNumberArraysStayIntegers() {
        JsonArray a = parse("[9007199254740993, 2.0, -0]").asJsonArray();
        assertThat(((JsonNumber) a.get(0)).longValueExact(), is(9007199254740993L));
        assertThat(a.get(1).toString(), is("2.0"));
        assertThat(((JsonNumber) a.get(2)).longValue(), is(0L));
    }

    @Test
    void longArraysKeepTheirSizeValuesAndIntegersWhereverTheyAppear() {
        // past the parser's first buffers (64, doubled): fractions first, an integer late, then a non-number
        for (int size : new int[] {63, 64, 65, 1024, 1025}) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < size; i++) {
                json.append(i == 0 ? "" : ",").append(i == size - 2 ? Long.toString(9007199254740993L + i) : i + ".5");
            }
            JsonArray numbers = parse(json + "]").asJsonArray();
            assertThat(numbers, instanceOf(NumberArray.class));
            assertThat(numbers.size(), is(size));
            assertThat(((JsonNumber) numbers.get(size - 2)).longValueExact(), is(9007199254740993L + size - 2));
            assertThat(numbers.get(size - 1).toString(), is((size - 1) + ".5"));
            assertThrows(IndexOutOfBoundsException.class, () -> numbers.get(size));
            float[] floats = ((NumberArray) numbers).toFloats();
            assertThat(floats.length, is(size));
            assertThat(floats[size - 2], is((float) (9007199254740993L + size - 2)));

            JsonArray mixed = parse(json + ",\"x\"]").asJsonArray();
            assertThat(mixed.size(), is(size + 1));
            assertThat(((JsonNumber) mixed.get(size - 2)).longValueExact(), is(9007199254740993L + size - 2));
            assertThat(mixed.get(0).toString(), is("0.5"));
            assertThat(mixed.getString(size), is("x"));
        }
    }

    @Test
    void arraysAfterALongOneInTheSameBodyKeepTheirOwnContents() {
        // later arrays start with the room of the longest before them: sizes, integers and mixed arrays unaffected
        StringBuilder vector = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            vector.append(i == 0 ? "" : ",").append(i).append(".25");
        }
        vector.append(']');
        StringBuilder longer = new StringBuilder("[");
        for (int i = 0; i < 1500; i++) {
            longer.append(i == 0 ? "" : ",").append(i == 1200 ? "7" : i + ".75");
        }
        longer.append(']');
        JsonFields body = fields("{\"a\":" + vector + ",\"b\":[1,2,3],\"c\":[\"x\",1],\"d\":" + longer
                + ",\"e\":[],\"f\":" + vector + "}");
        assertThat(body.object().getJsonArray("a").size(), is(1000));
        assertThat(body.object().getJsonArray("b").toString(), is("[1,2,3]"));
        assertThat(body.object().getJsonArray("c").toString(), is("[\"x\",1]"));
        JsonArray d = body.object().getJsonArray("d");
        assertThat(d.size(), is(1500));
        assertThat(((JsonNumber) d.get(1200)).longValueExact(), is(7L));
        assertThat(d.get(1499).toString(), is("1499.75"));
        assertThat(body.object().getJsonArray("e").size(), is(0));
        float[] f = ((NumberArray) body.object().getJsonArray("f")).toFloats();
        assertThat(f.length, is(1000));
        assertThat(f[999], is(999.25f));
    }

    @Test
    void exponentNotationIsNeverAnInteger() {
        ApiException e = assertThrows(ApiException.class, () -> fields("{\"n\":4.2e1}").requiredLong("n"));
        assertThat(e.status(), is(422));
        assertThat(fields("{\"n\":42}").requiredLong("n"), is(42L));
    }

    @Test
    void outOfRangeVectorElementIs422() {
        ApiException e = assertThrows(ApiException.class, () -> fields("{\"v\":[1, 1e39]}").requiredVector("v"));
        assertThat(e.status(), is(422));
        assertThat(e.getMessage(), containsString("v[1]"));
        ApiException inf = assertThrows(ApiException.class, () -> fields("{\"v\":[1e400]}").requiredVector("v"));
        assertThat(inf.status(), is(422));
    }

    @Test
    void infinitePayloadNumberIs422() {
        ApiException e = assertThrows(ApiException.class,
                () -> QdrantValues.payload(parse("{\"x\":1e400}").asJsonObject()));
        assertThat(e.status(), is(422));
        ApiException inArray = assertThrows(ApiException.class,
                () -> QdrantValues.payload(parse("{\"x\":[1, -1e400]}").asJsonObject()));
        assertThat(inArray.status(), is(422));
    }

    @Test
    void nestingIsLimited() {
        String ok = "[".repeat(StrictJsonParser.MAX_DEPTH) + "]".repeat(StrictJsonParser.MAX_DEPTH);
        assertThat(parse(ok).getValueType(), is(JsonValue.ValueType.ARRAY));
        String deep = "{\"a\":".repeat(StrictJsonParser.MAX_DEPTH) + "1" + "}".repeat(StrictJsonParser.MAX_DEPTH);
        ApiException e = assertThrows(ApiException.class, () -> parse("[" + deep + "]"));
        assertThat(e.status(), is(400));
        ApiException veryDeep = assertThrows(ApiException.class, () -> parse("[".repeat(100_000)));
        assertThat(veryDeep.status(), is(400));
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        assertThat(assertThrows(ApiException.class, () -> parse("{\"a\":1,\"a\":2}")).status(), is(400));
        assertThat(assertThrows(ApiException.class, () -> parse("{\"p\":{\"b\":[{\"c\":1,\"c\":1}]}}")).status(),
                is(400));
    }

    @Test
    void loneSurrogatesAreRefusedPairsKept() {
        assertThat(assertThrows(ApiException.class, () -> parse("{\"id\":\"\\ud800\"}")).status(), is(400));
        assertThat(assertThrows(ApiException.class, () -> parse("{\"\\udc00\":1}")).status(), is(400));
        assertThat(parse("{\"id\":\"\\ud83d\\ude00\"}").asJsonObject().getString("id"), is("\ud83d\ude00"));
    }

    @Test
    void numbersRoundExactlyLikeTheJdk() {
        // Every shape the fast path and its fallback see: 1-20 digits, points anywhere, exponents near the edges of
        // the exact range, subnormals, overflow; compared bit for bit with Double.parseDouble.
        java.util.Random random = new java.util.Random(20261127);
        StringBuilder json = new StringBuilder("[");
        java.util.List<String> literals = new java.util.ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            StringBuilder n = new StringBuilder();
            if (random.nextBoolean()) {
                n.append('-');
            }
            int digits = 1 + random.nextInt(20);
            String ds = Long.toString(Math.abs(random.nextLong())) + Long.toString(Math.abs(random.nextLong()));
            String mantissa = ds.substring(0, Math.min(digits, ds.length()));
            int point = random.nextInt(mantissa.length() + 1);
            String whole = mantissa.substring(0, point);
            String frac = mantissa.substring(point);
            n.append(whole.isEmpty() ? "0" : whole.replaceFirst("^0+(?=.)", ""));
            if (!frac.isEmpty() || random.nextInt(4) == 0) {
                n.append('.').append(frac.isEmpty() ? "0" : frac);
            }
            if (random.nextInt(3) == 0) {
                n.append(random.nextBoolean() ? 'e' : 'E');
                int bound = random.nextInt(10) == 0 ? 400 : 30;
                int e = random.nextInt(2 * bound + 1) - bound;
                n.append(e < 0 ? "-" : random.nextBoolean() ? "+" : "").append(Math.abs(e));
            } else if (n.indexOf(".") < 0) {
                n.append(".5");
            }
            literals.add(n.toString());
            json.append(i == 0 ? "" : ",").append(n);
        }
        literals.add("0.1");
        literals.add("-0.0");
        literals.add("4.9e-324");
        literals.add("2.2250738585072014E-308");
        literals.add("1.7976931348623157e308");
        literals.add("9007199254740993.0");
        literals.add("123456789012345678.5");
        // leading zeros of a fraction are not significant digits; zeros after the first non-zero digit are
        literals.add("0.000000000000000000001234");
        literals.add("-0.0000000000000000000000");
        literals.add("0.00000000000000000000001e3");
        literals.add("10.000000000000000001");
        literals.add("0.1000000000000000055511151231257827");
        literals.add("0.9999999999999999999");
        for (String extra : literals.subList(200_000, literals.size())) {
            json.append(',').append(extra);
        }
        JsonArray parsed = parse(json.append(']').toString()).asJsonArray();
        assertThat(parsed.size(), is(literals.size()));
        for (int i = 0; i < literals.size(); i++) {
            double expected = Double.parseDouble(literals.get(i));
            JsonValue v = parsed.get(i);
            if (Double.isInfinite(expected)) {
                assertThat(literals.get(i), ((JsonNumber) v).bigDecimalValue().abs().compareTo(
                        java.math.BigDecimal.TEN.pow(400)), is(0));
                continue;
            }
            // (+0.0 for -0.0: a JsonNumber holds a BigDecimal, which has no negative zero.)
            assertThat(literals.get(i), Double.doubleToRawLongBits(((JsonNumber) v).doubleValue()),
                    is(Double.doubleToRawLongBits(expected == 0 ? 0.0 : expected)));
        }
    }

    @Test
    void vectorFloatsEqualTheRustServiceRounding() {
        // serde_json reads f64 then casts to f32: the float of a literal is (float) Double.parseDouble(literal).
        java.util.Random random = new java.util.Random(7);
        float[] expected = new float[4096];
        StringBuilder json = new StringBuilder("{\"v\":[");
        for (int i = 0; i < expected.length; i++) {
            String literal = switch (i % 3) {
                case 0 -> Float.toString((float) random.nextGaussian() / 32);
                case 1 -> Double.toString(random.nextGaussian() / 32);
                default -> String.format(java.util.Locale.ROOT, "%.9f", random.nextGaussian());
            };
            expected[i] = (float) Double.parseDouble(literal);
            json.append(i == 0 ? "" : ",").append(literal);
        }
        assertArrayEquals(expected, fields(json.append("]}").toString()).requiredVector("v"));
    }

    @Test
    void grammarIsStrict() {
        for (String bad : new String[] {"[+1]", "[.5]", "[1.]", "[1e]", "[1e+]", "[-]", "[00]", "[-01]", "[0x10]",
                "[1,]", "[,1]", "{\"a\":1,}", "{,}", "[\"a\u0001\"]", "[\"\\x\"]", "[\"\\u12G4\"]", "[tru]",
                "[nulls]", "[\"\t\"]", "{\"a\" : 1 \"b\":2}", "[1 2]", "\u00a0[]", "[Infinity]", "[-NaN]"}) {
            ApiException e = assertThrows(ApiException.class, () -> parse(bad), bad);
            assertThat(bad, e.status(), is(400));
            assertThat(e.getMessage(), containsString(" at line "));
        }
        assertThat(parse(" [ -0 , 0.0e0 , 1E+2 , \"\\/\\b\\f\\n\\r\\t\\\"\\\\\" ] ").toString(),
                is("[0,0.0,100.0,\"/\\b\\f\\n\\r\\t\\\"\\\\\"]"));
        assertThat(parse("\"x\"").toString(), is("\"x\""));
        assertThat(parse("12").toString(), is("12"));
    }
}
