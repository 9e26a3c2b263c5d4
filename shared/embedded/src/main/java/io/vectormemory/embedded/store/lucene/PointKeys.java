package io.vectormemory.embedded.store.lucene;

import io.vectormemory.embedded.model.PointId;
import org.apache.lucene.util.BytesRef;

import java.util.UUID;

/**
 * Point ids as index terms whose unsigned byte order is Qdrant's id order: a tag byte (0 for numbers,
 * 1 for UUIDs, so every number sorts first) then the value big-endian (8 or 16 bytes).
 */
final class PointKeys {

    private PointKeys() {
    }

    static BytesRef encode(PointId id) {
        byte[] b;
        switch (id) {
            case PointId.Num n -> {
                b = new byte[9];
                putLong(b, 1, n.value());
            }
            case PointId.Uuid u -> {
                b = new byte[17];
                b[0] = 1;
                putLong(b, 1, u.value().getMostSignificantBits());
                putLong(b, 9, u.value().getLeastSignificantBits());
            }
        }
        return new BytesRef(b);
    }

    static PointId decode(BytesRef ref) {
        byte[] b = ref.bytes;
        int o = ref.offset;
        if (ref.length == 9 && b[o] == 0) {
            return PointId.num(getLong(b, o + 1));
        }
        if (ref.length == 17 && b[o] == 1) {
            return PointId.uuid(new UUID(getLong(b, o + 1), getLong(b, o + 9)));
        }
        throw new IllegalStateException("not a point id term: " + ref);
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
