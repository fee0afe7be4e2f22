package io.pgsplit.router;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Single-pass PostgreSQL lexer that splits a query string into statements on top-level semicolons.
 *
 * <p>It skips {@code --} and nested {@code /* *\/} comments, single-quoted strings ({@code ''} escapes, and
 * backslash escapes in {@code E''} strings), double-quoted and {@code U&""} identifiers and dollar quotes
 * ({@code $$} and {@code $tag$}), so keywords and semicolons inside them are never seen. It assumes
 * {@code standard_conforming_strings = on}, the server default since 9.1.
 *
 * <p>Like psql it keeps {@code CREATE FUNCTION|PROCEDURE ... BEGIN ATOMIC ... END} bodies in one statement: the
 * semicolons inside belong to the body, and splitting there would turn the body's {@code END} into a COMMIT.
 */
public final class SqlLexer {

    private static final String HINT = "pgsplit:primary";
    private static final int[] NO_TOKENS = new int[0];
    private static final int SCRATCH_TOKENS = 64;
    /** A scratch array grown past this (a huge multi-row INSERT) is not kept for the thread. */
    private static final int KEPT_SCRATCH_TOKENS = 4096;
    private static final ThreadLocal<int[]> SCRATCH =
            ThreadLocal.withInitial(() -> new int[SCRATCH_TOKENS * LexedStatement.SLOTS]);

    /** How far the statement's leading words match {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}. */
    private enum Header { START, CREATE, CREATE_OR, CREATE_OR_REPLACE, ROUTINE, OTHER }

    private final String sql;
    private final int length;
    private final List<LexedStatement> statements = new ArrayList<>(1);
    private int pos;

    private int statementStart;
    /**
     * The tokens of the statement being lexed, in this thread's scratch array: each finished statement gets an
     * exact copy, so lexing allocates only what the statements keep. Never used by two lexers at once: a lexer
     * runs to the end without calling out.
     */
    private int[] tokens = SCRATCH.get();
    private int tokenCount;
    private boolean primaryHint;
    private int parenDepth;
    private Header header = Header.START;
    /** Open BEGIN ATOMIC / CASE blocks of a routine body; semicolons inside them do not end the statement. */
    private int blockDepth;

    private SqlLexer(String sql) {
        this.sql = sql;
        this.length = sql.length();
    }

    /** Splits {@code sql} into its statements, including empty ones (e.g. after a trailing semicolon). */
    public static List<LexedStatement> split(String sql) {
        return new SqlLexer(sql).run();
    }

    private List<LexedStatement> run() {
        while (pos < length) {
            char c = sql.charAt(pos);
            if (c == ';' && blockDepth == 0) {
                finishStatement(pos, false);
                pos++;
                statementStart = pos;
            } else if (!scan(c)) {
                finishStatement(length, true);
                return statements;
            }
        }
        finishStatement(length, false);
        return statements;
    }

    /** Consumes whitespace, a comment or one token starting at {@code pos}; false when it is unterminated. */
    private boolean scan(char c) {
        char next = pos + 1 < length ? sql.charAt(pos + 1) : '\0';
        if (isWhitespace(c)) {
            pos++;
            return true;
        }
        if (c == '-' && next == '-') {
            lineComment();
            return true;
        }
        if (c == '/' && next == '*') {
            return blockComment();
        }
        if (c == '\'') {
            return quoted(pos, '\'', TokenType.LITERAL, false);
        }
        if (c == '"') {
            return quoted(pos, '"', TokenType.QUOTED_IDENTIFIER, false);
        }
        if (c == '$') {
            return dollar();
        }
        if (isIdentifierStart(c)) {
            return word();
        }
        if (c >= '0' && c <= '9') {
            number();
            return true;
        }
        punctuation(c);
        return true;
    }

    private void lineComment() {
        int end = pos + 2;
        while (end < length && sql.charAt(end) != '\n' && sql.charAt(end) != '\r') {
            end++;
        }
        noteComment(pos, end);
        pos = end;
    }

    private boolean blockComment() {
        int depth = 1;
        int i = pos + 2;
        while (i + 1 < length) {
            char c = sql.charAt(i);
            char next = sql.charAt(i + 1);
            if (c == '/' && next == '*') {
                depth++;
                i += 2;
            } else if (c == '*' && next == '/') {
                i += 2;
                if (--depth == 0) {
                    noteComment(pos, i);
                    pos = i;
                    return true;
                }
            } else {
                i++;
            }
        }
        return false;
    }

    private void noteComment(int from, int to) {
        for (int i = from; i + HINT.length() <= to && !primaryHint; i++) {
            primaryHint = sql.regionMatches(true, i, HINT, 0, HINT.length());
        }
    }

    /** Scans from the opening quote at {@code pos}; a doubled quote is an escaped quote. */
    private boolean quoted(int tokenStart, char quote, TokenType type, boolean backslashEscapes) {
        int i = pos + 1;
        while (i < length) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c != quote) {
                i++;
            } else if (i + 1 < length && sql.charAt(i + 1) == quote) {
                i += 2;
            } else {
                pos = i + 1;
                addToken(type, tokenStart, pos);
                return true;
            }
        }
        return false;
    }

    /** {@code $1} parameter, {@code $$} / {@code $tag$} quote, or a lone dollar sign. */
    private boolean dollar() {
        int start = pos;
        int i = pos + 1;
        if (i < length && isDigit(sql.charAt(i))) {
            while (i < length && isDigit(sql.charAt(i))) {
                i++;
            }
            pos = i;
            addToken(TokenType.LITERAL, start, i);
            return true;
        }
        if (i < length && isIdentifierStart(sql.charAt(i))) {
            while (i < length && isTagPart(sql.charAt(i))) {
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
            addToken(TokenType.LITERAL, start, pos);
            return true;
        }
        pos = start + 1;
        addToken(TokenType.OTHER, start, pos);
        return true;
    }

    /** A keyword or identifier, or the E / U& prefix of an escape string or Unicode identifier. */
    private boolean word() {
        int start = pos;
        int i = pos + 1;
        while (i < length && isIdentifierPart(sql.charAt(i))) {
            i++;
        }
        pos = i;
        if (i - start == 1 && i < length) {
            char prefix = sql.charAt(start);
            char next = sql.charAt(i);
            if ((prefix == 'E' || prefix == 'e') && next == '\'') {
                return quoted(start, '\'', TokenType.LITERAL, true);
            }
            if ((prefix == 'U' || prefix == 'u') && next == '&' && i + 1 < length) {
                char quote = sql.charAt(i + 1);
                if (quote == '\'' || quote == '"') {
                    pos = i + 1;
                    return quoted(start, quote, quote == '"' ? TokenType.UNICODE_IDENTIFIER : TokenType.LITERAL,
                            false);
                }
            }
        }
        addToken(TokenType.WORD, start, i);
        return true;
    }

    private void number() {
        int start = pos;
        int i = pos + 1;
        while (i < length && (isTagPart(sql.charAt(i)) || sql.charAt(i) == '.')) {
            i++;
        }
        pos = i;
        addToken(TokenType.LITERAL, start, i);
    }

    private void punctuation(char c) {
        TokenType type = switch (c) {
            case '(' -> TokenType.OPEN_PAREN;
            case ')' -> TokenType.CLOSE_PAREN;
            case '.' -> TokenType.DOT;
            case ',' -> TokenType.COMMA;
            default -> TokenType.OTHER;
        };
        if (type == TokenType.OPEN_PAREN) {
            parenDepth++;
        } else if (type == TokenType.CLOSE_PAREN && parenDepth > 0) {
            parenDepth--;
        }
        addToken(type, pos, pos + 1);
        pos++;
    }

    private void addToken(TokenType type, int start, int end) {
        int slot = tokenCount * LexedStatement.SLOTS;
        if (slot + LexedStatement.SLOTS > tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
            if (tokens.length <= KEPT_SCRATCH_TOKENS * LexedStatement.SLOTS) {
                SCRATCH.set(tokens);
            }
        }
        tokens[slot] = type.ordinal();
        tokens[slot + 1] = start;
        tokens[slot + 2] = end;
        tokenCount++;
        trackRoutineBody(type, start, end);
    }

    private void trackRoutineBody(TokenType type, int start, int end) {
        if (header == Header.ROUTINE) {
            if (type == TokenType.WORD && parenDepth == 0) {
                countBlock(start, end);
            }
        } else if (header != Header.OTHER) {
            header = type == TokenType.WORD ? nextHeader(start, end) : Header.OTHER;
        }
    }

    private Header nextHeader(int start, int end) {
        return switch (header) {
            case START -> is(start, end, "CREATE") ? Header.CREATE : Header.OTHER;
            case CREATE -> is(start, end, "OR") ? Header.CREATE_OR : routineKeyword(start, end);
            case CREATE_OR -> is(start, end, "REPLACE") ? Header.CREATE_OR_REPLACE : Header.OTHER;
            case CREATE_OR_REPLACE -> routineKeyword(start, end);
            default -> Header.OTHER;
        };
    }

    private Header routineKeyword(int start, int end) {
        return is(start, end, "FUNCTION") || is(start, end, "PROCEDURE") ? Header.ROUTINE : Header.OTHER;
    }

    /** BEGIN ATOMIC opens a body (a bare BEGIN may be a routine named "begin"); CASE and END nest inside it. */
    private void countBlock(int start, int end) {
        if (is(start, end, "ATOMIC") && previousWordIs("BEGIN")) {
            blockDepth++;
        } else if (blockDepth > 0 && is(start, end, "CASE")) {
            blockDepth++;
        } else if (blockDepth > 0 && is(start, end, "END")) {
            blockDepth--;
        }
    }

    private boolean previousWordIs(String keyword) {
        int slot = (tokenCount - 2) * LexedStatement.SLOTS;
        return slot >= 0 && tokens[slot] == TokenType.WORD.ordinal() && is(tokens[slot + 1], tokens[slot + 2], keyword);
    }

    private boolean is(int start, int end, String keyword) {
        return end - start == keyword.length() && sql.regionMatches(true, start, keyword, 0, keyword.length());
    }

    private void finishStatement(int end, boolean unterminated) {
        int[] kept = tokenCount == 0 ? NO_TOKENS : Arrays.copyOf(tokens, tokenCount * LexedStatement.SLOTS);
        statements.add(new LexedStatement(sql, statementStart, end, kept, tokenCount, primaryHint, unterminated));
        tokenCount = 0;
        primaryHint = false;
        parenDepth = 0;
        header = Header.START;
        blockDepth = 0;
    }

    /** PostgreSQL's whitespace set; other Unicode spaces are identifier characters to the server. */
    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** PostgreSQL treats every non-ASCII character as a letter. */
    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isTagPart(char c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    private static boolean isIdentifierPart(char c) {
        return isTagPart(c) || c == '$';
    }
}
