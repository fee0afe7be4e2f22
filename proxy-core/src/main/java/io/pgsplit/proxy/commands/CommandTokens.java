package io.pgsplit.proxy.commands;

import io.pgsplit.proxy.commands.SqlToken.Kind;
import io.pgsplit.router.LexedStatement;
import io.pgsplit.router.SqlLexer;
import io.pgsplit.router.TokenType;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL text as statements of {@link SqlToken}s, lexed by the router's {@link SqlLexer} so that commands
 * and routing agree on where statements end and on what is inside strings, identifiers and comments.
 * This class only turns the router's token offsets into the values the command grammar compares.
 */
final class CommandTokens {
    private final String sql;
    private final List<SqlToken> tokens = new ArrayList<>();

    private CommandTokens(String sql) {
        this.sql = sql;
    }

    /**
     * The non-empty statements of {@code sql}, or null when a string, identifier or comment is not
     * terminated: such text is a syntax error the server reports in its own words.
     */
    static List<List<SqlToken>> statements(String sql) {
        List<List<SqlToken>> statements = new ArrayList<>(1);
        for (LexedStatement statement : SqlLexer.split(sql)) {
            if (statement.unterminated()) {
                return null;
            }
            if (!statement.isEmpty()) {
                statements.add(new CommandTokens(sql).read(statement));
            }
        }
        return statements;
    }

    private List<SqlToken> read(LexedStatement statement) {
        for (int i = 0; i < statement.tokenCount(); i++) {
            token(statement.type(i), statement.startOf(i), statement.endOf(i));
        }
        return tokens;
    }

    private void token(TokenType type, int start, int end) {
        switch (type) {
            case WORD -> add(Kind.WORD, sql.substring(start, end), start, end);
            case QUOTED_IDENTIFIER -> add(Kind.QUOTED_IDENTIFIER, unquoted(start, end), start, end);
            case UNICODE_IDENTIFIER -> unicodeEscaped(Kind.QUOTED_IDENTIFIER, start, end);
            case LITERAL -> literal(start, end);
            default -> add(Kind.SYMBOL, sql.substring(start, end), start, end);
        }
    }

    /**
     * Backslash escapes of E'' strings stay as written: no valid value of a pgsplit parameter contains
     * a backslash, so decoding them would change no answer. Numbers are words, as in the LSN 0/3000148.
     */
    private void literal(int start, int end) {
        char first = sql.charAt(start);
        if (first == '\'') {
            add(Kind.STRING, unquoted(start, end), start, end);
        } else if (first == 'E' || first == 'e') {
            add(Kind.STRING, unquoted(start + 1, end), start, end);
        } else if (first == 'U' || first == 'u') {
            unicodeEscaped(Kind.STRING, start, end);
        } else if (first != '$') {
            add(Kind.WORD, sql.substring(start, end), start, end);
        } else if (isDigit(sql.charAt(start + 1))) {
            add(Kind.PARAMETER, sql.substring(start, end), start, end);
        } else {
            int delimiterLength = sql.indexOf('$', start + 1) + 1 - start;
            add(Kind.STRING, sql.substring(start + delimiterLength, end - delimiterLength), start, end);
        }
    }

    /**
     * Unicode escapes are not decoded: {@code U&"…"} and {@code U&'…'} become the word U, the symbol
     * {@code &} and a quoted token, so after {@code pgsplit.} they are a syntax error, never a name
     * the server would accept as a placeholder of its own.
     */
    private void unicodeEscaped(Kind quotedKind, int start, int end) {
        add(Kind.WORD, sql.substring(start, start + 1), start, start + 1);
        add(Kind.SYMBOL, "&", start + 1, start + 2);
        add(quotedKind, unquoted(start + 2, end), start + 2, end);
    }

    /** The text between the quote at {@code quoteAt} and the one closing it at {@code end - 1}. */
    private String unquoted(int quoteAt, int end) {
        String quote = sql.substring(quoteAt, quoteAt + 1);
        return sql.substring(quoteAt + 1, end - 1).replace(quote + quote, quote);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void add(Kind kind, String value, int start, int end) {
        tokens.add(new SqlToken(kind, value, start, end));
    }
}
