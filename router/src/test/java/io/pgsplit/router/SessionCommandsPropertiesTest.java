package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.router.SessionCommandsCorpusTest.Row;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class SessionCommandsPropertiesTest {

    /** Fragments that reach every rule: session keywords, function names, quotes, comments, dollar tags. */
    private static final List<String> SQL_FRAGMENTS = List.of(
            "SET", "RESET", "LOCAL", "SESSION", "TIME", "ZONE", "INTERVAL", "TO", "=", "DEFAULT", "FROM", "CURRENT",
            "AUTHORIZATION", "CHARACTERISTICS", "AS", "TRANSACTION", "ISOLATION", "LEVEL", "READ", "ONLY", "NOT",
            "DEFERRABLE", "ALL", "ROLE", "NAMES", "SCHEMA", "XML", "OPTION", "search_path", "a", ".", ",", "(", ")",
            "SELECT", "INTO", "TEMP", "TABLE", "CREATE", "OR", "REPLACE", "pg_temp", "IF", "EXISTS", "set_config",
            "pg_advisory_lock", "pg_advisory_unlock_all", "'x'", "'on'", "true", "NULL", "$1", ":", "::", "text",
            "DO", "LANGUAGE", "$$", "$a$", "'", "''", "\"", "E'", "\\", "--", "/*", "*/", "\n", ";", "PREPARE",
            "EXECUTE", "DEALLOCATE", "DECLARE", "CURSOR", "WITH", "HOLD", "CLOSE", "LISTEN", "UNLISTEN", "*",
            "DISCARD", "LOAD", "EXPLAIN", "ANALYZE", "BEGIN", "THEN", "END", "MATERIALIZED", "VIEW", "NO", "DATA");

    @Property
    void arbitraryTextNeverThrows(@ForAll String sql) {
        assertThat(SessionCommands.of(sql)).isNotNull();
    }

    @Property
    void sqlLikeTextNeverThrows(@ForAll("sqlLike") String sql) {
        assertThat(SessionCommands.of(sql)).isNotNull();
    }

    @Property
    void aStringReadsAsTheCommandsOfItsStatementsInOrder(
            @ForAll @Size(min = 1, max = 6) List<@From("completeStrings") Row> rows) {
        // A newline before the semicolon ends any trailing line comment.
        String sql = rows.stream().map(Row::sql).collect(Collectors.joining("\n;\n"));

        List<String> expected = rows.stream().flatMap(row -> row.commands().stream()).toList();

        assertThat(SessionCommandsCorpusTest.rendered(sql)).as(sql).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> sqlLike() {
        return Arbitraries.of(SQL_FRAGMENTS).list().ofMaxSize(40).map(fragments -> String.join(" ", fragments));
    }

    /** Corpus strings the server would accept as a whole, so that joining them keeps each one's commands. */
    @Provide
    Arbitrary<Row> completeStrings() {
        return Arbitraries.of(SessionCommandsCorpusTest.corpus().stream()
                .filter(row -> !endsUnterminated(row.sql()))
                .toList());
    }

    private static boolean endsUnterminated(String sql) {
        List<LexedStatement> statements = SqlLexer.split(sql);
        return statements.get(statements.size() - 1).unterminated();
    }
}
