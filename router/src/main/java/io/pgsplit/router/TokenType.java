package io.pgsplit.router;

/** Token classes the routing rules distinguish; everything else is {@link #OTHER}. */
public enum TokenType {
    /** Unquoted keyword or identifier (case-insensitive). */
    WORD,
    /** {@code "..."}: case-sensitive identifier, never a keyword. */
    QUOTED_IDENTIFIER,
    /** {@code U&"..."}: identifier whose real name needs escape decoding, so it is never trusted. */
    UNICODE_IDENTIFIER,
    /** String, dollar-quoted string, number or {@code $n} parameter. */
    LITERAL,
    OPEN_PAREN,
    CLOSE_PAREN,
    DOT,
    COMMA,
    /** Operators and other punctuation. */
    OTHER
}
