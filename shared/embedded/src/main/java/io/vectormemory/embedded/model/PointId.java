package io.vectormemory.embedded.model;

import java.util.UUID;

/**
 * A point id: an unsigned 64-bit number or a UUID.
 *
 * <p>Ordering follows Qdrant's {@code ExtendedPointId}, whose {@code Ord} is derived
 * (lib/segment/src/types.rs): every numeric id sorts before every UUID, numbers compare as
 * unsigned 64-bit integers and UUIDs compare by their 16 bytes, i.e. as unsigned 128-bit
 * integers (not {@link UUID#compareTo}, which compares signed halves).
 */
public sealed interface PointId extends Comparable<PointId> permits PointId.Num, PointId.Uuid {

    static PointId num(long unsignedValue) {
        return new Num(unsignedValue);
    }

    static PointId uuid(UUID uuid) {
        return new Uuid(uuid);
    }

    /**
     * Parses a UUID in the forms Qdrant accepts (Rust {@code uuid::Uuid::parse_str}): simple
     * (32 hex digits), hyphenated (8-4-4-4-12), braced ({@code {...}}) and URN
     * ({@code urn:uuid:...}); hex digits in either case.
     *
     * @throws IllegalArgumentException when the text is none of these
     */
    static PointId parseUuid(String text) {
        PointId id = uuidOrNull(text);
        if (id == null) {
            throw new IllegalArgumentException(text);
        }
        return id;
    }

    /** Whether the text is a UUID {@link #parseUuid} accepts (without an exception: writes ask this of every string). */
    static boolean isUuid(String text) {
        return uuidOrNull(text) != null;
    }

    private static PointId uuidOrNull(String text) {
        String s = text;
        if (s.length() == 45 && s.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            s = s.substring(9);
        } else if (s.length() == 38 && s.charAt(0) == '{' && s.charAt(37) == '}') {
            s = s.substring(1, 37);
        }
        String hex;
        if (s.length() == 36) {
            if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
                return null;
            }
            hex = s.substring(0, 8) + s.substring(9, 13) + s.substring(14, 18) + s.substring(19, 23) + s.substring(24);
        } else if (s.length() == 32) {
            hex = s;
        } else {
            return null;
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 32; i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                return null;
            }
            if (i < 16) {
                msb = (msb << 4) | d;
            } else {
                lsb = (lsb << 4) | d;
            }
        }
        return new Uuid(new UUID(msb, lsb));
    }

    @Override
    default int compareTo(PointId other) {
        if (this instanceof Num a) {
            return other instanceof Num b ? Long.compareUnsigned(a.value, b.value) : -1;
        }
        Uuid a = (Uuid) this;
        if (other instanceof Uuid b) {
            int c = Long.compareUnsigned(a.value.getMostSignificantBits(), b.value.getMostSignificantBits());
            return c != 0 ? c : Long.compareUnsigned(a.value.getLeastSignificantBits(), b.value.getLeastSignificantBits());
        }
        return 1;
    }

    /** Numeric id; {@code value} holds an unsigned 64-bit number. */
    record Num(long value) implements PointId {
        @Override
        public String toString() {
            return Long.toUnsignedString(value);
        }
    }

    /** UUID id; rendered lowercase hyphenated like Qdrant. */
    record Uuid(UUID value) implements PointId {
        public Uuid {
            if (value == null) {
                throw new IllegalArgumentException("uuid is null");
            }
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }
}
