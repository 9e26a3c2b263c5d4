package io.vectormemory.http.json;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static io.vectormemory.http.json.JsonFactory.JSON;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class CompactJsonTest {
    /** What the JSON provider's own writer makes of a value: the reference {@link CompactJson#bytes} must equal. */
    private static String providerText(JsonValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var writer = JSON.createWriterFactory(Map.of()).createWriter(out)) {
            writer.write(value);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assertSameAsProvider(JsonValue value) {
        assertThat(new String(CompactJson.bytes(value), StandardCharsets.UTF_8), is(providerText(value)));
    }

    @Test
    void everyCharacterIsWrittenAsTheProviderWritesIt() {
        // each UTF-16 code unit alone (control characters, quote, backslash, lone surrogates) and in a longer text
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String s = String.valueOf(c);
            assertSameAsProvider(JSON.createValue(s));
            assertSameAsProvider(JSON.createObjectBuilder().add(s, "a" + s + "b").build());
        }
        assertSameAsProvider(JSON.createValue("emoji \uD83D\uDE00 and \u00e9\u4e2d \"q\" \\ \t\n\r\b\f \u0001\u001f\u007f"));
    }

    @Test
    void examplesAreTheProvidersBytes() {
        assertThat(new String(CompactJson.bytes(JSON.createObjectBuilder().add("a", "x\ny").add("b", 1).build()),
                StandardCharsets.UTF_8), is("{\"a\":\"x\\ny\",\"b\":1}"));
        assertThat(new String(CompactJson.bytes(JSON.createValue("\u0001")), StandardCharsets.UTF_8),
                is("\"\\u0001\""));
    }

    @Test
    void numbersLiteralsAndNestingMatchTheProvider() {
        assertSameAsProvider(JsonValue.EMPTY_JSON_OBJECT);
        assertSameAsProvider(JsonValue.EMPTY_JSON_ARRAY);
        assertSameAsProvider(JsonValue.TRUE);
        assertSameAsProvider(JsonValue.FALSE);
        assertSameAsProvider(JsonValue.NULL);
        assertSameAsProvider(JSON.createArrayBuilder()
                .add(0).add(-7).add(Long.MAX_VALUE).add(Long.MIN_VALUE).add(1.5).add(-0.0).add(1e300).add(4.9e-324)
                .add(new BigDecimal("1E+400")).add(new BigDecimal("123.4500")).add(new BigInteger("123456789012345678901234567890"))
                .add(CompactJson.f32(0.8234567f)).add(CompactJson.f32(1.0E-7f))
                .add(JsonValue.NULL).add(JsonValue.TRUE)
                .add(JSON.createObjectBuilder().add("deep", JSON.createArrayBuilder().add(JSON.createArrayBuilder())))
                .build());
        // arrays of numbers as the request parser keeps them (primitive), written back
        assertSameAsProvider(JsonBodies.parse("{\"v\":[0.5,-1,2e3,1.25E-4,12345678901234567890,7],\"w\":[]}"
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void randomTreesMatchTheProvider() {
        Random random = new Random(20261127);
        for (int i = 0; i < 2_000; i++) {
            assertSameAsProvider(randomValue(random, 0));
        }
    }

    private static JsonValue randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 6 : 8);
        return switch (kind) {
            case 0 -> JSON.createValue(randomString(random));
            case 1 -> JSON.createValue(random.nextLong());
            case 2 -> JSON.createValue(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> CompactJson.f32((float) random.nextGaussian());
            case 4 -> random.nextBoolean() ? JsonValue.TRUE : JsonValue.FALSE;
            case 5 -> JsonValue.NULL;
            case 6 -> {
                JsonObjectBuilder object = JSON.createObjectBuilder();
                for (int n = random.nextInt(5); n > 0; n--) {
                    object.add(randomString(random), randomValue(random, depth + 1));
                }
                yield object.build();
            }
            default -> {
                JsonArrayBuilder array = JSON.createArrayBuilder();
                for (int n = random.nextInt(5); n > 0; n--) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array.build();
            }
        };
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            s.append(switch (random.nextInt(4)) {
                case 0 -> (char) random.nextInt(0x30); // controls, quote and punctuation
                case 1 -> (char) ('a' + random.nextInt(26));
                case 2 -> "\\\"/";
                default -> (char) random.nextInt(0xD800); // anything in the basic plane below the surrogates
            });
        }
        return s.toString();
    }
}
