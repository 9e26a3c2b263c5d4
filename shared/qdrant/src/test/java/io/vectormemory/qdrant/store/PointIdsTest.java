package io.vectormemory.qdrant.store;

import io.qdrant.client.grpc.Common.PointId;
import io.vectormemory.qdrant.settings.PointIdScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class PointIdsTest {
    private static final String VECTORS = "/point-id-siphash-vectors.tsv";

    /** The Rust service's test vectors (src/test/resources/point-id-siphash-vectors.tsv). */
    static List<Arguments> siphashVectors() throws IOException {
        List<Arguments> rows = new ArrayList<>();
        try (InputStream in = PointIdsTest.class.getResourceAsStream(VECTORS)) {
            if (in == null) {
                throw new IllegalStateException(VECTORS + " is missing from the test class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = reader.readLine();
            if (header == null || !header.startsWith("#")) {
                throw new IllegalStateException("expected a header comment, got " + header);
            }
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                // limit -1 keeps the empty string id of the first row
                String[] cols = line.split("\t", -1);
                if (cols.length != 2) {
                    throw new IllegalStateException("bad row: " + line);
                }
                rows.add(Arguments.of(cols[0], cols[1]));
            }
        }
        return rows;
    }

    @Test
    void vectorFileHasEveryRow() throws IOException {
        // 15 rows in the Rust service's vectors; guards against a truncated copy making the parameterised test vacuous.
        assertThat(siphashVectors().size(), is(15));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @MethodSource("siphashVectors")
    void sipHashMatchesRustService(String id, String expectedUnsigned) {
        assertThat(Long.toUnsignedString(PointIds.sipHash(id)), is(expectedUnsigned));
    }

    // Expected values computed independently with Python's standard library:
    //   python3 -c "import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, 'mem_42_1001'))"
    // (same for every row; NAMESPACE_DNS is 6ba7b810-9dad-11d1-80b4-00c04fd430c8).
    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "mem_42_1001|9a72f867-c21c-50ee-b3ef-e335a9cacacd",
            "doc_42_77_0|8372ea4b-01d5-5862-b19e-d2ca5663d31d",
            "mem_1_12345|1ddb9ec7-cdb1-5d68-9b02-1f30b9d56379",
            "Grüße_ü|3dc08113-d44c-5b3f-ae3c-a2fd27517714",
            "''|4ebd0208-8328-5d69-8c44-ec50939c0967"
    })
    void uuid5MatchesPythonUuidModule(String id, String expected) {
        UUID uuid = PointIds.uuid5(id);
        assertThat(uuid.toString(), is(expected));
        assertThat(uuid.version(), is(5));
        assertThat(uuid.variant(), is(2));
    }

    @Test
    void toQdrantUnderSiphashIsTheRawBitsOfTheUnsignedHash() {
        PointId id = new PointIds(PointIdScheme.SIPHASH).toQdrant("doc_42_77_0");
        assertThat(id.hasNum(), is(true));
        assertThat(id.hasUuid(), is(false));
        // Above Long.MAX_VALUE: gRPC's uint64 carries the bits, the text form is unsigned.
        assertThat(id.getNum(), is(Long.parseUnsignedLong("15229859113118467793")));
        assertThat(PointIds.text(id), is("15229859113118467793"));
    }

    @Test
    void toQdrantUnderUuid5IsTheUuidString() {
        PointId id = new PointIds(PointIdScheme.UUID5).toQdrant("mem_42_1001");
        assertThat(id.hasUuid(), is(true));
        assertThat(id.hasNum(), is(false));
        assertThat(id.getUuid(), is("9a72f867-c21c-50ee-b3ef-e335a9cacacd"));
        assertThat(PointIds.text(id), is("9a72f867-c21c-50ee-b3ef-e335a9cacacd"));
    }

    @Test
    void schemesAreDeterministicAndDistinguishIds() {
        PointIds sip = new PointIds(PointIdScheme.SIPHASH);
        assertThat(sip.toQdrant("mem_42_1001"), is(sip.toQdrant("mem_42_1001")));
        assertThat(sip.toQdrant("mem_42_1001").equals(sip.toQdrant("mem_42_1002")), is(false));
        assertThat(sip.toQdrant("mem_42_1001").getNum(), is(Long.parseUnsignedLong("7870116223244595666")));
    }

    @Test
    void payloadFieldName() {
        assertThat(PointIds.FIELD, is("_point_id"));
    }
}
