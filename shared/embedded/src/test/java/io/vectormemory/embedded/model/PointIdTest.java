package io.vectormemory.embedded.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointIdTest {

    @Test
    void parsesTheUuidFormsQdrantAccepts() {
        PointId expected = PointId.uuid(UUID.fromString("67e55044-10b1-426f-9247-bb680e5fe0c8"));
        for (String text : List.of("67e55044-10b1-426f-9247-bb680e5fe0c8", "67E55044-10B1-426F-9247-BB680E5FE0C8",
                "67e5504410b1426f9247bb680e5fe0c8", "{67e55044-10b1-426f-9247-bb680e5fe0c8}",
                "urn:uuid:67e55044-10b1-426f-9247-bb680e5fe0c8")) {
            assertEquals(expected, PointId.parseUuid(text), text);
            assertTrue(PointId.isUuid(text), text);
        }
        assertEquals("67e55044-10b1-426f-9247-bb680e5fe0c8", expected.toString());
        for (String bad : List.of("", "1-2-3-4-5", "67e55044-10b1-426f-9247-bb680e5fe0c", "67e55044_10b1_426f_9247_bb680e5fe0c8",
                "g7e55044-10b1-426f-9247-bb680e5fe0c8")) {
            assertThrows(IllegalArgumentException.class, () -> PointId.parseUuid(bad), bad);
            assertFalse(PointId.isUuid(bad), bad);
        }
    }

    @Test
    void ordersNumbersUnsignedThenUuidsUnsigned() {
        List<PointId> ids = new ArrayList<>(List.of(
                PointId.uuid(UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff")),
                PointId.num(-1L),
                PointId.uuid(UUID.fromString("00000000-0000-0000-8000-000000000000")),
                PointId.num(0),
                PointId.uuid(UUID.fromString("00000000-0000-0000-0000-000000000001")),
                PointId.num(Long.MAX_VALUE)));
        ids.sort(null);
        assertEquals(List.of("0", "9223372036854775807", "18446744073709551615",
                "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-8000-000000000000",
                "ffffffff-ffff-ffff-ffff-ffffffffffff"), ids.stream().map(Object::toString).toList());
    }
}
