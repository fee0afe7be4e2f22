package io.pgsplit.router;

import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Finds the function calls in a run of tokens: a name, or {@code schema.name}, followed by an opening
 * parenthesis. Keywords whose syntax takes a parenthesis ({@code IN (}, {@code OVER (}, {@code CAST(}, …),
 * type modifiers after {@code ::} or {@code AS}, alias column lists ({@code FROM f() AS g(a)}, {@code ) g(a)})
 * and CTE column lists ({@code WITH r(n) AS (SELECT …)}) are not calls.
 *
 * <p>The scanner errs toward seeing calls: something it takes for a call that is none resolves to no known
 * function and sends the statement to the primary, which costs a replica read but never a wrong answer.
 */
public final class FunctionCallScanner {

    /**
     * SQL keywords followed by a parenthesis that never call a function of that name: the server rejects a function
     * call by these names, or reads them as its own constructs ({@code COALESCE(…)}, {@code ROW(…)}). Keywords a
     * function may be named after ({@code over}, {@code filter}, {@code set}, {@code like}, …) are not here: their
     * syntax is told from a call by context in {@link #notACall}.
     */
    private static final Set<String> SQL_SYNTAX = Set.of(
            "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "EXISTS", "ANY", "SOME", "ALL", "VALUES", "AS", "ON",
            "USING", "LATERAL", "BY", "WITH", "HAVING", "RETURNING", "UNION", "INTERSECT", "EXCEPT", "DISTINCT",
            "THEN", "ELSE", "WHEN", "CASE", "END", "LIMIT", "OFFSET", "FETCH", "INTO", "TABLE", "ORDER", "GROUP",
            "WINDOW", "COLLATE", "ONLY", "GROUPING", "CAST", "TREAT", "COALESCE", "NULLIF", "GREATEST", "LEAST",
            "EXTRACT", "POSITION", "TRIM", "ARRAY", "ROW", "BETWEEN", "TO", "OPERATOR", "DECIMAL", "DEC", "FLOAT",
            "CHARACTER", "NCHAR", "NATIONAL", "FOR", "DEFAULT", "XMLELEMENT", "XMLFOREST", "XMLPARSE", "XMLPI",
            "XMLROOT", "XMLSERIALIZE", "XMLCONCAT", "XMLEXISTS", "XMLATTRIBUTES", "XMLTABLE", "XMLNAMESPACES");
    /** Infix keywords that are also possible function names: an operator when an operand stands before them. */
    private static final Set<String> INFIX = Set.of("LIKE", "ILIKE", "SIMILAR", "IS", "ESCAPE");
    private static final String[] QUERY_STARTS = {"SELECT", "WITH", "VALUES", "TABLE", "INSERT", "UPDATE", "DELETE",
            "MERGE"};

    private FunctionCallScanner() {
    }

    /** Adds the calls among tokens {@code [from, to)} to {@code out}, in order. */
    public static void scan(LexedStatement statement, int from, int to, List<FunctionReference> out) {
        scan(statement, from, to, Set.of(), out);
    }

    /**
     * As {@link #scan(LexedStatement, int, int, List)}, treating the upper-case words of {@code moreSyntax} as
     * keywords too (PL/pgSQL's {@code IF (}, {@code RETURN (}, …).
     */
    public static void scan(LexedStatement statement, int from, int to, Set<String> moreSyntax,
                            List<FunctionReference> out) {
        scan(statement, from, to, moreSyntax, name -> false, out);
    }

    /** As {@link #scan(LexedStatement, int, int, List)}, passing over the names at the indexes {@code skip} accepts. */
    static void scan(LexedStatement statement, int from, int to, Set<String> moreSyntax, IntPredicate skip,
                     List<FunctionReference> out) {
        for (int i = from; i + 1 < to; i++) {
            if (statement.type(i + 1) == TokenType.OPEN_PAREN && !skip.test(i)) {
                FunctionReference call = callAt(statement, from, i, moreSyntax);
                if (call != null) {
                    out.add(call);
                }
            }
        }
    }

    /** True when {@code name(} at {@code index} is one of the keywords that take a parenthesis. */
    static boolean isSyntax(LexedStatement statement, int index, Set<String> moreSyntax) {
        String word = statement.word(index);
        return word != null && (SQL_SYNTAX.contains(word) || moreSyntax.contains(word));
    }

    private static FunctionReference callAt(LexedStatement statement, int from, int nameIndex, Set<String> moreSyntax) {
        TokenType type = statement.type(nameIndex);
        if (type != TokenType.WORD && type != TokenType.QUOTED_IDENTIFIER
                || type == TokenType.WORD && isSyntax(statement, nameIndex, moreSyntax)) {
            return null;
        }
        boolean qualified = nameIndex - 2 >= from && statement.type(nameIndex - 1) == TokenType.DOT
                && isNamePart(statement.type(nameIndex - 2));
        int start = qualified ? nameIndex - 2 : nameIndex;
        int previous = start > from ? start - 1 : -1;
        if (notACall(statement, nameIndex, previous, moreSyntax) || opensQuery(statement, nameIndex + 1)
                || isCteName(statement, nameIndex + 1)) {
            return null;
        }
        return new FunctionReference(qualified ? statement.identifier(nameIndex - 2) : null,
                statement.identifier(nameIndex));
    }

    /**
     * What the token before a name makes of {@code name(}: a type after {@code ::} or {@code AS}; an alias
     * column list, {@code OVER (}, {@code FILTER (} or {@code REPEATABLE (} after {@code )}; a sampling method
     * after {@code TABLESAMPLE}; {@code GROUPING SETS (}, {@code GROUP BY ROLLUP (} and {@code CUBE (};
     * {@code CHARACTER VARYING(n)}; {@code a LIKE (…)} after an operand.
     */
    private static boolean notACall(LexedStatement statement, int name, int previous, Set<String> moreSyntax) {
        if (previous < 0) {
            return false;
        }
        if (statement.type(previous) == TokenType.CLOSE_PAREN || statement.isWord(previous, "AS")
                || statement.isWord(previous, "TABLESAMPLE")
                || statement.isSymbol(previous, ':') && statement.isSymbol(previous - 1, ':')) {
            return true;
        }
        String word = statement.word(name);
        if (word == null) {
            return false;
        }
        return switch (word) {
            case "SETS" -> statement.isWord(previous, "GROUPING");
            case "ROLLUP", "CUBE" -> statement.isWord(previous, "BY") && statement.isWord(previous - 1, "GROUP");
            case "VARYING" -> statement.isWord(previous, "CHARACTER") || statement.isWord(previous, "CHAR")
                    || statement.isWord(previous, "BIT");
            default -> INFIX.contains(word) && isOperand(statement, previous, moreSyntax);
        };
    }

    /** A value or a name (not a keyword) stands at {@code index}. */
    private static boolean isOperand(LexedStatement statement, int index, Set<String> moreSyntax) {
        TokenType type = statement.type(index);
        return type == TokenType.LITERAL || type == TokenType.QUOTED_IDENTIFIER
                || type == TokenType.WORD && !isSyntax(statement, index, moreSyntax);
    }

    /** {@code (SELECT …)}: a subquery, which no function takes bare. */
    private static boolean opensQuery(LexedStatement statement, int open) {
        return statement.isAnyWord(open + 1, QUERY_STARTS);
    }

    /** {@code name (columns) AS [NOT] [MATERIALIZED] (query)}: the name of a common table expression. */
    private static boolean isCteName(LexedStatement statement, int open) {
        int close = statement.matchingParen(open);
        if (close < 0 || !statement.isWord(close + 1, "AS")) {
            return false;
        }
        int i = close + 2;
        if (statement.isWord(i, "NOT")) {
            i++;
        }
        if (statement.isWord(i, "MATERIALIZED")) {
            i++;
        }
        if (statement.type(i) != TokenType.OPEN_PAREN) {
            return false;
        }
        int first = i;
        while (statement.type(first) == TokenType.OPEN_PAREN) {
            first++;
        }
        return statement.isAnyWord(first, QUERY_STARTS);
    }

    private static boolean isNamePart(TokenType type) {
        return type == TokenType.WORD || type == TokenType.QUOTED_IDENTIFIER;
    }
}
