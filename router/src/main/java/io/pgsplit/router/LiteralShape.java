package io.pgsplit.router;

/**
 * A query text with the places of its simple literals: unsigned integers ({@code 42}) and plain strings
 * ({@code 'abc'}). {@link #matches} tells whether another text is the same except inside those literals.
 *
 * <p>The rules are those of {@link SqlLexer}, narrowed so that a match guarantees the lexer would cut the other
 * text into the same tokens: a literal is learnt only where the characters around it cannot join it to a
 * neighbouring token, and a matched literal must end where the template's text resumes. Anything the narrow
 * rules do not cover (decimals, exponents, {@code 1_000}, {@code 0x1F}, {@code E''}, {@code U&''}, {@code B''},
 * dollar quotes, backslashes) is refused, never guessed.
 */
final class LiteralShape {

    /** Longer texts are not learnt, which bounds what a thread's memo pins. */
    static final int MAX_TEMPLATE_LENGTH = 1024;

    private static final int NOT_A_LITERAL = -1;

    private final String template;
    /** Start and end offsets of each literal in the template, in pairs. */
    private final int[] spans;
    /** Per literal: a string ({@code '...'}) rather than an unsigned integer. */
    private final boolean[] quoted;
    /** The template's characters outside its literals, which every match repeats verbatim. */
    private final int verbatimLength;

    private LiteralShape(String template, int[] spans, boolean[] quoted) {
        this.template = template;
        this.spans = spans;
        this.quoted = quoted;
        int literalLength = 0;
        for (int i = 0; i < spans.length; i += 2) {
            literalLength += spans[i + 1] - spans[i];
        }
        this.verbatimLength = template.length() - literalLength;
    }

    /**
     * The shape of {@code sql}, whose one non-empty statement is {@code statement}; null when the text is too
     * long, has no literal, or has one that is not simple. {@code $n} parameters are not literals here: they must
     * repeat as written.
     */
    static LiteralShape of(String sql, LexedStatement statement) {
        if (sql.length() > MAX_TEMPLATE_LENGTH) {
            return null;
        }
        int count = 0;
        for (int i = 0; i < statement.tokenCount(); i++) {
            if (statement.type(i) == TokenType.LITERAL && !statement.isParameter(i)) {
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        int[] spans = new int[count * 2];
        boolean[] quoted = new boolean[count];
        int literal = 0;
        for (int i = 0; i < statement.tokenCount(); i++) {
            int start = statement.startOf(i);
            int end = statement.endOf(i);
            if (statement.type(i) != TokenType.LITERAL || statement.isParameter(i)) {
                continue;
            }
            boolean string = sql.charAt(start) == '\'';
            // The mini-lexer must find exactly the lexer's token, or matching could cut a text differently.
            if (literalEnd(sql, start, string) != end || !standsAlone(sql, start, end, string)) {
                return null;
            }
            spans[literal * 2] = start;
            spans[literal * 2 + 1] = end;
            quoted[literal] = string;
            literal++;
        }
        return new LiteralShape(sql, spans, quoted);
    }

    /**
     * True when {@code sql} is the template with other simple literals in the same places; allocates nothing.
     * Outside literals the texts are compared exactly, so comments, hints and case must repeat too.
     */
    boolean matches(String sql) {
        // Each literal takes at least one character (a digit) or two (the quotes).
        if (sql.length() < verbatimLength + spans.length / 2) {
            return false;
        }
        int from = 0;
        int at = 0;
        for (int literal = 0; literal < quoted.length; literal++) {
            int start = spans[literal * 2];
            int verbatim = start - from;
            if (!sql.regionMatches(at, template, from, verbatim)) {
                return false;
            }
            at = literalEnd(sql, at + verbatim, quoted[literal]);
            if (at == NOT_A_LITERAL) {
                return false;
            }
            // The template resumes with a character that ends a literal (see standsAlone), so comparing it
            // next settles where this literal ends.
            from = spans[literal * 2 + 1];
        }
        int rest = template.length() - from;
        return sql.length() - at == rest && sql.regionMatches(at, template, from, rest);
    }

    /**
     * The end of the simple literal starting at {@code start}: a run of ASCII digits, or a quoted string with
     * doubled quotes and no backslash; {@link #NOT_A_LITERAL} when none starts there. The lexer would take a digit
     * run followed by a letter, digit, {@code _} or {@code .} as one longer token; the caller checks that the
     * next character is none of those.
     */
    private static int literalEnd(String sql, int start, boolean string) {
        int length = sql.length();
        if (!string) {
            int i = start;
            while (i < length && SqlLexer.isDigit(sql.charAt(i))) {
                i++;
            }
            return i > start ? i : NOT_A_LITERAL;
        }
        if (start >= length || sql.charAt(start) != '\'') {
            return NOT_A_LITERAL;
        }
        int i = start + 1;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\\') {
                // A backslash escapes the quote if standard_conforming_strings is off: not worth the risk.
                return NOT_A_LITERAL;
            }
            if (c != '\'') {
                i++;
            } else if (i + 1 < length && sql.charAt(i + 1) == '\'') {
                i += 2;
            } else {
                return i + 1;
            }
        }
        return NOT_A_LITERAL;
    }

    /**
     * Whether the characters around a literal keep it a token of its own whatever it holds: before it, no
     * identifier character, {@code $}, {@code .} or quote (nor {@code &} before a string, as in {@code U&'x'});
     * after it, nothing that could continue a number or a string.
     */
    private static boolean standsAlone(String sql, int start, int end, boolean string) {
        if (start == 0) {
            return false;
        }
        char before = sql.charAt(start - 1);
        if (!SqlLexer.isWhitespace(before) && !isOperator(before) && before != '(' && before != '[' && before != ','
                || string && before == '&') {
            return false;
        }
        if (end == sql.length()) {
            return true;
        }
        char after = sql.charAt(end);
        return SqlLexer.isWhitespace(after) || isOperator(after) || after == ')' || after == ']' || after == ','
                || after == ';';
    }

    /** Operator characters: each is a token of its own to the lexer, never part of a number or string. */
    private static boolean isOperator(char c) {
        return switch (c) {
            case '+', '-', '*', '/', '<', '>', '=', '~', '!', '@', '#', '%', '^', '&', '|', '?', ':' -> true;
            default -> false;
        };
    }
}
