package io.vectormemory.qdrant.store;

import io.qdrant.client.grpc.Common.PointId;
import io.vectormemory.qdrant.settings.PointIdScheme;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Maps the platform's string ids ({@code mem_42_1001}) to Qdrant point ids.
 * The mapping is one-way; the original string always travels in the {@code _point_id} payload field.
 */
public final class PointIds {
    /** Payload field holding the original string id. */
    public static final String FIELD = "_point_id";

    /** RFC 4122 DNS namespace, the one the platform's direct client uses for UUIDv5 ids. */
    private static final UUID DNS_NAMESPACE = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    private final PointIdScheme scheme;

    public PointIds(PointIdScheme scheme) {
        this.scheme = scheme;
    }

    public PointId toQdrant(String id) {
        return toQdrant(scheme, id);
    }

    /**
     * Where the other scheme keeps the id: data written before {@code POINT_ID_SCHEME} was changed (or by a
     * client that uses the other one).
     */
    public PointId underOtherScheme(String id) {
        return toQdrant(scheme == PointIdScheme.SIPHASH ? PointIdScheme.UUID5 : PointIdScheme.SIPHASH, id);
    }

    private static PointId toQdrant(PointIdScheme scheme, String id) {
        return switch (scheme) {
            case SIPHASH -> PointId.newBuilder().setNum(sipHash(id)).build();
            case UUID5 -> PointId.newBuilder().setUuid(uuid5(id).toString()).build();
        };
    }

    /** Text form of a Qdrant id: unsigned decimal or the UUID string. */
    public static String text(PointId id) {
        return id.hasUuid() ? id.getUuid() : Long.toUnsignedString(id.getNum());
    }

    /**
     * The Rust service's mapping, frozen: SipHash-1-3 with zero keys over the UTF-8 bytes plus one 0xFF byte
     * (Rust's {@code str} hashing appends it). Returns the unsigned 64-bit value in a {@code long}.
     */
    public static long sipHash(String id) {
        byte[] s = id.getBytes(StandardCharsets.UTF_8);
        int n = s.length + 1;
        long v0 = 0x736f6d6570736575L;
        long v1 = 0x646f72616e646f6dL;
        long v2 = 0x6c7967656e657261L;
        long v3 = 0x7465646279746573L;
        int end = n - (n % 8);
        long[] v = {v0, v1, v2, v3};
        for (int i = 0; i < end; i += 8) {
            long m = 0;
            for (int j = 7; j >= 0; j--) {
                m = (m << 8) | (byteAt(s, i + j) & 0xFFL);
            }
            v[3] ^= m;
            sipRound(v);
            v[0] ^= m;
        }
        long b = ((long) (n & 0xFF)) << 56;
        for (int j = n - 1; j >= end; j--) {
            b |= (byteAt(s, j) & 0xFFL) << (8 * (j - end));
        }
        v[3] ^= b;
        sipRound(v);
        v[0] ^= b;
        v[2] ^= 0xFF;
        sipRound(v);
        sipRound(v);
        sipRound(v);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** UUIDv5 (SHA-1, name-based) of the string in the RFC 4122 DNS namespace. */
    public static UUID uuid5(String id) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by the Java platform", e);
        }
        sha1.update(toBytes(DNS_NAMESPACE));
        byte[] h = sha1.digest(id.getBytes(StandardCharsets.UTF_8));
        h[6] = (byte) ((h[6] & 0x0F) | 0x50);
        h[8] = (byte) ((h[8] & 0x3F) | 0x80);
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (h[i] & 0xFF);
            lsb = (lsb << 8) | (h[i + 8] & 0xFF);
        }
        return new UUID(msb, lsb);
    }

    // The message is the string's bytes followed by one 0xFF byte; read it without copying.
    private static byte byteAt(byte[] s, int i) {
        return i < s.length ? s[i] : (byte) 0xFF;
    }

    private static byte[] toBytes(UUID u) {
        byte[] b = new byte[16];
        long msb = u.getMostSignificantBits();
        long lsb = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (msb >>> (56 - 8 * i));
            b[i + 8] = (byte) (lsb >>> (56 - 8 * i));
        }
        return b;
    }

    private static void sipRound(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
