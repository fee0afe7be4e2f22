package io.pgsplit.router;

import io.pgsplit.router.catalog.SearchPath;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code search_path} a session setting sets, read from the statement that replays it: {@code SET
 * search_path TO a, "B", 'c'} (a string is one name there, as the server quotes list elements given as strings)
 * or {@code SELECT pg_catalog.set_config('search_path', 'a, "B"', false)} (the value parsed as the server parses
 * a config value).
 */
public final class SearchPathSetting {

    private SearchPathSetting() {
    }

    /**
     * The path {@code statement} sets, or null when it cannot be read (the caller must then assume nothing about
     * unqualified names). {@code SET search_path TO DEFAULT} is never kept as a session setting (it is a RESET).
     */
    public static SearchPath read(String statement) {
        List<LexedStatement> statements = SqlLexer.split(statement);
        LexedStatement first = statements.isEmpty() ? null : statements.get(0);
        if (first == null || first.isEmpty()) {
            return null;
        }
        if (first.isWord(0, "SET")) {
            return fromSet(first);
        }
        for (int i = 0; i + 1 < first.tokenCount(); i++) {
            if ("set_config".equals(first.identifier(i)) && first.type(i + 1) == TokenType.OPEN_PAREN) {
                return fromSetConfig(first, i + 2);
            }
        }
        return null;
    }

    private static SearchPath fromSet(LexedStatement statement) {
        int i = 1;
        if (statement.isWord(i, "LOCAL") || statement.isWord(i, "SESSION")) {
            i++;
        }
        if (!"search_path".equals(statement.identifier(i))
                || !(statement.isWord(i + 1, "TO") || statement.isSymbol(i + 1, '='))) {
            return null;
        }
        i += 2;
        if (statement.isWord(i, "DEFAULT")) {
            return null;
        }
        List<String> names = new ArrayList<>();
        while (i < statement.tokenCount()) {
            String name = statement.type(i) == TokenType.LITERAL ? StringLiterals.content(statement, i)
                    : statement.identifier(i);
            if (name == null) {
                return null;
            }
            names.add(name);
            i++;
            if (i < statement.tokenCount() && statement.type(i++) != TokenType.COMMA) {
                return null;
            }
        }
        return names.isEmpty() ? null : new SearchPath(names);
    }

    private static SearchPath fromSetConfig(LexedStatement statement, int nameIndex) {
        if (!"search_path".equalsIgnoreCase(StringLiterals.content(statement, nameIndex))
                || statement.type(nameIndex + 1) != TokenType.COMMA) {
            return null;
        }
        String value = StringLiterals.content(statement, nameIndex + 2);
        return value == null ? null : SearchPath.parse(value);
    }
}
