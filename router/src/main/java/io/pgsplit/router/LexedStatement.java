package io.pgsplit.router;

import java.util.Locale;

/**
 * One statement of a SQL string as seen by {@link SqlLexer}: its tokens outside comments and literals, whether
 * it carries the {@code pgsplit:primary} hint, and whether a literal or comment ran past the end of the text.
 *
 * <p>Tokens are kept as offsets into the original string and turned into text only on demand, so lexing a
 * multi-megabyte INSERT allocates one int array instead of one object per value.
 */
public final class LexedStatement {

    /** Ints per token in the packed token array. */
    static final int SLOTS = 3;
    private static final TokenType[] TYPES = TokenType.values();

    private final String sql;
    private final int start;
    private final int end;
    /** Triples of (type ordinal, start offset, end offset). */
    private final int[] tokens;
    private final int tokenCount;
    private final boolean primaryHint;
    private final boolean unterminated;

    LexedStatement(String sql, int start, int end, int[] tokens, int tokenCount, boolean primaryHint,
                   boolean unterminated) {
        this.sql = sql;
        this.start = start;
        this.end = end;
        this.tokens = tokens;
        this.tokenCount = tokenCount;
        this.primaryHint = primaryHint;
        this.unterminated = unterminated;
    }

    /** The statement's text without the terminating semicolon. */
    String text() {
        return sql.substring(start, end);
    }

    /** Text from the start of token {@code from} to the end of token {@code toExclusive - 1}. */
    String text(int from, int toExclusive) {
        return sql.substring(startOf(from), endOf(toExclusive - 1));
    }

    public boolean isEmpty() {
        return tokenCount == 0;
    }

    boolean primaryHint() {
        return primaryHint;
    }

    /** True when a quote, dollar quote or comment was not closed: the server would reject or misread it. */
    public boolean unterminated() {
        return unterminated;
    }

    public int tokenCount() {
        return tokenCount;
    }

    /** The token's type, or null past the last token (so rules can look ahead without bounds checks). */
    public TokenType type(int index) {
        return index >= 0 && index < tokenCount ? TYPES[tokens[index * SLOTS]] : null;
    }

    /** Offset of the token's first character in the text given to {@link SqlLexer#split}. */
    public int startOf(int index) {
        return tokens[index * SLOTS + 1];
    }

    /** Offset just past the token's last character. */
    public int endOf(int index) {
        return tokens[index * SLOTS + 2];
    }

    /** True when the token is the unquoted word {@code keyword} (given in upper case); allocates nothing. */
    public boolean isWord(int index, String keyword) {
        if (type(index) != TokenType.WORD) {
            return false;
        }
        int from = startOf(index);
        return endOf(index) - from == keyword.length() && sql.regionMatches(true, from, keyword, 0, keyword.length());
    }

    /** True when the token is an unquoted word among {@code keywords} (given in upper case). */
    public boolean isAnyWord(int index, String[] keywords) {
        for (String keyword : keywords) {
            if (isWord(index, keyword)) {
                return true;
            }
        }
        return false;
    }

    /** True for a {@code $n} parameter, whose value only the Bind message carries; allocates nothing. */
    public boolean isParameter(int index) {
        if (type(index) != TokenType.LITERAL || endOf(index) - startOf(index) < 2) {
            return false;
        }
        int start = startOf(index);
        return sql.charAt(start) == '$' && SqlLexer.isDigit(sql.charAt(start + 1));
    }

    /** True when the token is the one-character punctuation {@code symbol}, such as {@code =} or {@code *}. */
    public boolean isSymbol(int index, char symbol) {
        return type(index) == TokenType.OTHER && endOf(index) - startOf(index) == 1
                && sql.charAt(startOf(index)) == symbol;
    }

    /** The upper-cased text of an unquoted word, or null when the token is not a word. */
    public String word(int index) {
        if (type(index) != TokenType.WORD) {
            return null;
        }
        String known = KnownWords.lookup(sql, startOf(index), endOf(index));
        return known != null ? known : sql.substring(startOf(index), endOf(index)).toUpperCase(Locale.ROOT);
    }

    /**
     * The name a word or quoted identifier denotes: unquoted words fold to lower case as in PostgreSQL, quoted
     * ones keep their case with doubled quotes collapsed. Null for any other token.
     */
    public String identifier(int index) {
        TokenType type = type(index);
        if (type == TokenType.WORD) {
            return sql.substring(startOf(index), endOf(index)).toLowerCase(Locale.ROOT);
        }
        if (type == TokenType.QUOTED_IDENTIFIER) {
            return sql.substring(startOf(index) + 1, endOf(index) - 1).replace("\"\"", "\"");
        }
        return null;
    }

    /** Index of the parenthesis closing the one at {@code openIndex}, or -1 when it is never closed. */
    public int matchingParen(int openIndex) {
        int depth = 0;
        for (int i = openIndex; i < tokenCount; i++) {
            TokenType type = type(i);
            if (type == TokenType.OPEN_PAREN) {
                depth++;
            } else if (type == TokenType.CLOSE_PAREN && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "LexedStatement[" + text() + (primaryHint ? ", hint" : "") + (unterminated ? ", unterminated" : "")
                + "]";
    }
}
