package io.vectormemory.tests.support;

import io.vectormemory.http.Route;

import java.nio.charset.StandardCharsets;

/** Request paths: percent-encoding of path segments and query values, concrete paths for route templates. */
public final class Paths {
    private Paths() {
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters (so '/' becomes %2F, ' ' %20). */
    public static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }

    /** {@code ?namespace=...}, or nothing for null. */
    public static String namespace(String ns) {
        return ns == null ? "" : "?namespace=" + encode(ns);
    }

    /** A concrete path for a template: {point_id} and {user_id} filled in. */
    public static String of(Route route, String pointId, long userId) {
        return route.template().replace("{point_id}", encode(pointId)).replace("{user_id}", Long.toString(userId));
    }

    public static String of(Route route) {
        return of(route, "probe-id", 7);
    }
}
