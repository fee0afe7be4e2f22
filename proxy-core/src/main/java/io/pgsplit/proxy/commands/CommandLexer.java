package io.pgsplit.proxy.commands;

import io.pgsplit.proxy.commands.SqlToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into statements of {@link SqlToken}s on top-level semicolons, dropping whitespace
 * and comments ({@code --}, nested {@code /* *\/}). Strings, quoted identifiers and dollar quotes are
 * single tokens, so a {@code ;} or {@code pgsplit.} inside them is never mistaken for syntax.
 * Assumes {@code standard_conforming_strings = on}, the default since PostgreSQL 9.1.
 */
final class CommandLexer {
    private final String sql;
    private final int length;
    private final List<List<SqlToken>> statements = new ArrayList<>(1);
    private List<SqlToken> current = new ArrayList<>();
    private int pos;

    private CommandLexer(String sql) {
        this.sql = sql;
        this.length = sql.length();
    }

    /**
     * The non-empty statements of {@code sql}, or null when a string, identifier or comment is not
     * terminated: such text is a syntax error the server reports in its own words.
     */
    static List<List<SqlToken>> statements(String sql) {
        return new CommandLexer(sql).run();
    }

    private List<List<SqlToken>> run() {
        while (pos < length) {
            if (!scan(sql.charAt(pos))) {
                return null;
            }
        }
        endStatement();
        return statements;
    }

    private boolean scan(char c) {
        char next = pos + 1 < length ? sql.charAt(pos + 1) : '\0';
        if (isWhitespace(c)) {
            pos++;
        } else if (c == ';') {
            endStatement();
            pos++;
        } else if (c == '-' && next == '-') {
            skipLineComment();
        } else if (c == '/' && next == '*') {
            return skipBlockComment();
        } else if (c == '\'') {
            return quoted(pos, pos, '\'', Kind.STRING, false);
        } else if (c == '"') {
            return quoted(pos, pos, '"', Kind.QUOTED_IDENTIFIER, false);
        } else if ((c == 'E' || c == 'e') && next == '\'') {
            return quoted(pos, pos + 1, '\'', Kind.STRING, true);
        } else if (c == '$') {
            return dollar();
        } else if (isIdentifierPart(c)) {
            word();
        } else {
            add(Kind.SYMBOL, String.valueOf(c), pos, pos + 1);
            pos++;
        }
        return true;
    }

    private void endStatement() {
        if (!current.isEmpty()) {
            statements.add(current);
            current = new ArrayList<>();
        }
    }

    private void skipLineComment() {
        while (pos < length && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
            pos++;
        }
    }

    private boolean skipBlockComment() {
        int depth = 0;
        while (pos + 1 < length) {
            char c = sql.charAt(pos);
            char next = sql.charAt(pos + 1);
            if (c == '/' && next == '*') {
                depth++;
                pos += 2;
            } else if (c == '*' && next == '/') {
                pos += 2;
                if (--depth == 0) {
                    return true;
                }
            } else {
                pos++;
            }
        }
        return false;
    }

    /**
     * A token from {@code start} whose quote opens at {@code quoteAt}; a doubled quote stands for one.
     * Backslash escapes of E'' strings are skipped over but kept in the value: no valid value of a
     * pgsplit parameter contains a backslash, so decoding them would change no answer.
     */
    private boolean quoted(int start, int quoteAt, char quote, Kind kind, boolean backslashEscapes) {
        StringBuilder value = new StringBuilder();
        int i = quoteAt + 1;
        while (i < length) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\' && i + 1 < length) {
                value.append(c).append(sql.charAt(i + 1));
                i += 2;
            } else if (c != quote) {
                value.append(c);
                i++;
            } else if (i + 1 < length && sql.charAt(i + 1) == quote) {
                value.append(quote);
                i += 2;
            } else {
                pos = i + 1;
                add(kind, value.toString(), start, pos);
                return true;
            }
        }
        return false;
    }

    /** {@code $1} parameter, {@code $$} or {@code $tag$} quote, or a lone dollar sign. */
    private boolean dollar() {
        int start = pos;
        int i = pos + 1;
        if (i < length && isDigit(sql.charAt(i))) {
            while (i < length && isDigit(sql.charAt(i))) {
                i++;
            }
            pos = i;
            add(Kind.PARAMETER, sql.substring(start, i), start, i);
            return true;
        }
        if (i < length && isIdentifierStart(sql.charAt(i))) {
            while (i < length && isIdentifierPart(sql.charAt(i))) {
                i++;
            }
        }
        if (i < length && sql.charAt(i) == '$') {
            String delimiter = sql.substring(start, i + 1);
            int close = sql.indexOf(delimiter, i + 1);
            if (close < 0) {
                return false;
            }
            pos = close + delimiter.length();
            add(Kind.STRING, sql.substring(i + 1, close), start, pos);
            return true;
        }
        pos = start + 1;
        add(Kind.SYMBOL, "$", start, pos);
        return true;
    }

    /** An identifier, keyword or number: words and numbers need no distinction here. */
    private void word() {
        int start = pos;
        while (pos < length && (isIdentifierPart(sql.charAt(pos)) || sql.charAt(pos) == '$')) {
            pos++;
        }
        add(Kind.WORD, sql.substring(start, pos), start, pos);
    }

    private void add(Kind kind, String value, int start, int end) {
        current.add(new SqlToken(kind, value, start, end));
    }

    /** PostgreSQL's whitespace set; other Unicode spaces are identifier characters to the server. */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** PostgreSQL treats every non-ASCII character as a letter. */
    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }
}
