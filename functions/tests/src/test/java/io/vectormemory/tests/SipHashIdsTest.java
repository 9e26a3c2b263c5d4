package io.vectormemory.tests;

import io.vectormemory.tests.support.SipHashIds;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The test suite's own id mapping (used to know the scroll order) against the shared test vectors. */
class SipHashIdsTest {

    @Test
    void matchesTheRustServiceVectors() {
        List<String[]> rows = vectors();
        assertEquals(15, rows.size());
        for (String[] row : rows) {
            assertEquals(row[1], Long.toUnsignedString(SipHashIds.of(row[0])), "id " + row[0]);
        }
    }

    /** The Rust service's test vectors (also shared/qdrant/src/test/resources/point-id-siphash-vectors.tsv). */
    private static List<String[]> vectors() {
        return List.of(new String[] {"", "3476900567878811119"}, new String[] {"a", "8186225505942432243"},
                new String[] {"mem_1_12345", "1031874778741713167"}, new String[] {"mem_1_67890", "763409567612934570"},
                new String[] {"mem_1_1737115234567", "16769830940063601968"},
                new String[] {"mem_1730_12345", "11181369578420704598"},
                new String[] {"mem_1730_abc123", "9779157475834897605"},
                new String[] {"mem_42_1001", "7870116223244595666"}, new String[] {"doc_1_123_0", "5186492395104219506"},
                new String[] {"doc_42_77_0", "15229859113118467793"}, new String[] {"doc_42_77_1", "2072200256237807962"},
                new String[] {"perf_test_1_1", "9901888674544334425"}, new String[] {"abcdefgh", "6689927370435554326"},
                new String[] {"abcdefghijklmno", "4540019386538082409"},
                new String[] {"Grüße_ü", "40502960290368984"});
    }
}
