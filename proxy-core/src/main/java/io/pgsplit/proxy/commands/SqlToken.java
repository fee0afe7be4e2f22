package io.pgsplit.proxy.commands;

/**
 * One token of SQL text; {@code start} and {@code end} are offsets in the text, so two tokens with
 * nothing between them (not even a comment) can be told apart from separated ones.
 */
record SqlToken(Kind kind, String value, int start, int end) {

    enum Kind {
        /** Keyword, unquoted identifier or number; {@code value} is the text as written. */
        WORD,
        /** {@code '…'}, {@code E'…'} or {@code $tag$…$tag$}; {@code value} is the content. */
        STRING,
        /** {@code "…"}; {@code value} is the name, case kept. */
        QUOTED_IDENTIFIER,
        /** {@code $1}: a parameter, which PostgreSQL does not accept in SET or SHOW. */
        PARAMETER,
        /** Any other single character. */
        SYMBOL
    }

    boolean isKeyword(String keyword) {
        return kind == Kind.WORD && value.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(char symbol) {
        return kind == Kind.SYMBOL && value.charAt(0) == symbol;
    }

    /** The token as PostgreSQL quotes it in "syntax error at or near …". */
    String display() {
        return switch (kind) {
            case STRING -> "'" + value.replace("'", "''") + "'";
            case QUOTED_IDENTIFIER -> '"' + value.replace("\"", "\"\"") + '"';
            default -> value;
        };
    }
}
