package io.pgsplit.health;

/** Write-ahead log positions. Their text form, e.g. {@code 16/B374D848}, is the high and low 32 bits in hex. */
public final class Lsn {

    public static final long UNKNOWN = -1;

    private static final long MAX_HIGH_HALF = 0x7FFF_FFFFL;

    private Lsn() {
    }

    /** The text form of a position, as PostgreSQL prints it. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase(java.util.Locale.ROOT);
    }

    /** The byte position, or {@link #UNKNOWN} for SQL NULL; IllegalArgumentException when malformed. */
    public static long parse(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw invalid(text);
        }
        long high = hexHalf(text, 0, slash);
        long low = hexHalf(text, slash + 1, text.length());
        if (high > MAX_HIGH_HALF) {
            throw invalid(text); // would not fit a signed long; no real cluster writes 8 EiB of WAL
        }
        return high << 32 | low;
    }

    private static long hexHalf(String text, int from, int to) {
        if (to - from < 1 || to - from > 8) {
            throw invalid(text);
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw invalid(text);
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a WAL position: \"" + text + "\"");
    }
}
