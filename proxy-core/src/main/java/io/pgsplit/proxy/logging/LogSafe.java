package io.pgsplit.proxy.logging;

/**
 * Makes text a client controls harmless in a log line. {@link #escape} is applied to every message and exception
 * message by the shipped logback configuration ({@link EscapedMessageConverter}, {@link EscapedThrowableConverter}),
 * so no value can end a line, start a forged one or send terminal escapes. {@link #quote} is for call sites that
 * log a client value (user, database, SQL text, URI): quoted, with its own quotes and backslashes escaped, so the
 * value cannot pretend to end where it does not.
 */
public final class LogSafe {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogSafe() {
    }

    /** {@code "value"} with backslash, quote and control characters escaped; {@code null} for null. */
    public static String quote(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                appendEscaped(out, c);
            }
        }
        return out.append('"').toString();
    }

    /** {@code text} with every control character written visibly ({@code \n}, {@code \x1b}, {@code \u2028}). */
    public static String escape(String text) {
        if (text == null || !needsEscaping(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            appendEscaped(out, text.charAt(i));
        }
        return out.toString();
    }

    /**
     * As {@link #escape}, except that line breaks stay line breaks followed by a tab: an exception's message may
     * hold a server log excerpt worth reading as lines, and an indented line cannot pass for a log event of its own.
     */
    static String escapeKeepingIndentedLines(String text) {
        if (text == null || !needsEscaping(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue;
            }
            if (c == '\n') {
                out.append("\n\t");
            } else {
                appendEscaped(out, c);
            }
        }
        return out.toString();
    }

    private static boolean needsEscaping(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * C0, DEL and C1 controls (NEL is a line break to some readers), the Unicode line and paragraph separators,
     * and the bidirectional overrides that make a terminal show text in another order than it was written.
     */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\u061c'
                || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }

    private static void appendEscaped(StringBuilder out, char c) {
        if (!isControl(c)) {
            out.append(c);
        } else if (c == '\n') {
            out.append("\\n");
        } else if (c == '\r') {
            out.append("\\r");
        } else if (c == '\t') {
            out.append("\\t");
        } else if (c <= 0xff) {
            out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        } else {
            out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                    .append(HEX[c & 0xf]);
        }
    }
}
