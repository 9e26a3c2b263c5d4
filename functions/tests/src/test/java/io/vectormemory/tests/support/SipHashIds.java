package io.vectormemory.tests.support;

import java.nio.charset.StandardCharsets;

/**
 * The Qdrant point id the Rust service derived from a string id: SipHash-1-3, keys
 * 0/0, over the UTF-8 bytes plus one 0xFF byte. Written independently of the service's own code, from the
 * contract text, and checked against the shared test vectors; the tests use it to know the scroll order.
 */
public final class SipHashIds {
    private SipHashIds() {
    }

    public static long of(String id) {
        byte[] s = id.getBytes(StandardCharsets.UTF_8);
        byte[] d = new byte[s.length + 1];
        System.arraycopy(s, 0, d, 0, s.length);
        d[s.length] = (byte) 0xFF;
        long[] v = {0x736f6d6570736575L, 0x646f72616e646f6dL, 0x6c7967656e657261L, 0x7465646279746573L};
        int n = d.length;
        int blocks = n / 8;
        for (int b = 0; b < blocks; b++) {
            long m = word(d, b * 8, 8);
            v[3] ^= m;
            round(v);
            v[0] ^= m;
        }
        long last = word(d, blocks * 8, n - blocks * 8) | ((long) (n & 0xFF) << 56);
        v[3] ^= last;
        round(v);
        v[0] ^= last;
        v[2] ^= 0xFF;
        round(v);
        round(v);
        round(v);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static long word(byte[] d, int from, int len) {
        long m = 0;
        for (int i = 0; i < len; i++) {
            m |= (d[from + i] & 0xFFL) << (8 * i);
        }
        return m;
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
