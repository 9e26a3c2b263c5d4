package io.vectormemory.embedded.model;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses payload datetime strings roughly like Qdrant's {@code DateTimePayloadType::from_str}
 * (lib/segment/src/types.rs): RFC 3339, offsets with or without a colon, and date-times without
 * an offset (then UTC), down to a plain {@code YYYY-MM-DD}.
 */
public final class DateTimes {

    private static final Pattern FORMAT = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})"
                    + "(?:[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
                    + "(Z|z|[+-]\\d{2}(?::?\\d{2})?)?");

    private DateTimes() {
    }

    /** The instant, or null when the text is not a datetime. */
    public static Instant parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        if (m.group(4) == null && m.group(8) != null) {
            return null;
        }
        try {
            int nanos = 0;
            if (m.group(7) != null) {
                String f = (m.group(7) + "000000000").substring(0, 9);
                nanos = Integer.parseInt(f);
            }
            LocalDateTime local = LocalDateTime.of(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
                    m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
                    nanos);
            ZoneOffset offset = ZoneOffset.UTC;
            String tz = m.group(8);
            if (tz != null && !tz.equalsIgnoreCase("z")) {
                int sign = tz.charAt(0) == '-' ? -1 : 1;
                String digits = tz.substring(1).replace(":", "");
                int hours = Integer.parseInt(digits.substring(0, 2));
                int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
                offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            }
            return local.toInstant(offset);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }
}
