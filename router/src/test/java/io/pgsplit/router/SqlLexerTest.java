package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {

    private static List<String> texts(String sql) {
        return SqlLexer.split(sql).stream().map(statement -> statement.text().strip()).toList();
    }

    private static List<String> words(LexedStatement statement) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < statement.tokenCount(); i++) {
            if (statement.type(i) == TokenType.WORD) {
                words.add(statement.word(i));
            }
        }
        return words;
    }

    private static LexedStatement single(String sql) {
        List<LexedStatement> statements = SqlLexer.split(sql);
        assertThat(statements).hasSize(1);
        return statements.get(0);
    }

    @Test
    void splitsOnTopLevelSemicolons() {
        assertThat(texts("SELECT 1; DELETE FROM t;UPDATE t SET a = 1")).containsExactly(
                "SELECT 1", "DELETE FROM t", "UPDATE t SET a = 1");
    }

    @Test
    void reportsEmptyStatementsAroundSemicolons() {
        List<LexedStatement> statements = SqlLexer.split(";SELECT 1;");

        assertThat(statements).extracting(LexedStatement::isEmpty).containsExactly(true, false, true);
    }

    @Test
    void emptyStringIsOneEmptyStatement() {
        assertThat(single("").isEmpty()).isTrue();
        assertThat(single("  -- nothing\n /* here */ ").isEmpty()).isTrue();
    }

    @Test
    void yieldsUpperCaseWordsOutsideLiterals() {
        LexedStatement statement = single("select a, \"Quoted\" from t where b = 'delete' -- update\n");

        assertThat(words(statement)).containsExactly("SELECT", "A", "FROM", "T", "WHERE", "B");
    }

    @Test
    void doubledQuoteDoesNotEndString() {
        assertThat(texts("SELECT 'it''s; DELETE FROM t'; SELECT 2")).containsExactly(
                "SELECT 'it''s; DELETE FROM t'", "SELECT 2");
    }

    @Test
    void backslashEscapesOnlyInEscapeStrings() {
        assertThat(texts("SELECT E'a\\'; b'; SELECT 2")).containsExactly("SELECT E'a\\'; b'", "SELECT 2");
        assertThat(texts("SELECT 'a\\'; SELECT 2")).containsExactly("SELECT 'a\\'", "SELECT 2");
    }

    @Test
    void escapeStringPrefixIsPartOfTheLiteral() {
        LexedStatement statement = single("SELECT e'x'");

        assertThat(statement.tokenCount()).isEqualTo(2);
        assertThat(statement.type(1)).isEqualTo(TokenType.LITERAL);
    }

    @Test
    void wordEndingInEIsNotAnEscapeStringPrefix() {
        LexedStatement statement = single("SELECT some'x'");

        assertThat(words(statement)).containsExactly("SELECT", "SOME");
        assertThat(statement.type(2)).isEqualTo(TokenType.LITERAL);
    }

    @Test
    void quotedIdentifiersAreNotKeywords() {
        LexedStatement statement = single("SELECT \"update\", \"a\"\"b\" FROM t");

        assertThat(statement.type(1)).isEqualTo(TokenType.QUOTED_IDENTIFIER);
        assertThat(statement.identifier(1)).isEqualTo("update");
        assertThat(statement.identifier(3)).isEqualTo("a\"b");
        assertThat(words(statement)).containsExactly("SELECT", "FROM", "T");
    }

    @Test
    void unicodeIdentifiersAreMarkedAsSuch() {
        LexedStatement statement = single("SELECT U&\"d\\0061t\" FROM t");

        assertThat(statement.type(1)).isEqualTo(TokenType.UNICODE_IDENTIFIER);
        assertThat(statement.identifier(1)).isNull();
    }

    @Test
    void dollarQuotesHideSemicolonsAndKeywords() {
        assertThat(texts("DO $$ BEGIN DELETE FROM t; END $$; SELECT 1")).containsExactly(
                "DO $$ BEGIN DELETE FROM t; END $$", "SELECT 1");
        assertThat(words(SqlLexer.split("DO $$ BEGIN DELETE FROM t; END $$").get(0))).containsExactly("DO");
    }

    @Test
    void taggedDollarQuoteEndsOnlyAtItsOwnTag() {
        assertThat(texts("SELECT $fn$ a $$ ; $x$ b $fn$; SELECT 2")).containsExactly(
                "SELECT $fn$ a $$ ; $x$ b $fn$", "SELECT 2");
    }

    @Test
    void positionalParameterIsNotADollarQuote() {
        LexedStatement statement = single("SELECT * FROM t WHERE a = $1 AND b = $2");

        assertThat(statement.unterminated()).isFalse();
        assertThat(words(statement)).containsExactly("SELECT", "FROM", "T", "WHERE", "A", "AND", "B");
    }

    @Test
    void dollarInsideIdentifierIsNotAQuote() {
        LexedStatement statement = single("SELECT a$b$ FROM t");

        assertThat(words(statement)).containsExactly("SELECT", "A$B$", "FROM", "T");
    }

    @Test
    void nestedBlockCommentsEndAtTheOuterClose() {
        assertThat(texts("/* a /* b */ ; DELETE */ SELECT 1; SELECT 2")).containsExactly(
                "/* a /* b */ ; DELETE */ SELECT 1", "SELECT 2");
    }

    @Test
    void lineCommentsEndAtNewline() {
        assertThat(texts("SELECT 1 -- ; DELETE FROM t\n; SELECT 2")).containsExactly(
                "SELECT 1 -- ; DELETE FROM t", "SELECT 2");
    }

    @Test
    void detectsPrimaryHintInEitherCommentStyleIgnoringCase() {
        assertThat(single("/* pgsplit:primary */ SELECT 1").primaryHint()).isTrue();
        assertThat(single("SELECT 1 -- PgSplit:Primary").primaryHint()).isTrue();
        assertThat(single("SELECT 1 /* routed by pgsplit:primary please */").primaryHint()).isTrue();
        assertThat(single("SELECT 'pgsplit:primary'").primaryHint()).isFalse();
        assertThat(single("SELECT 1 /* pgsplit */").primaryHint()).isFalse();
    }

    @Test
    void hintBelongsToTheStatementItAppearsIn() {
        List<LexedStatement> statements = SqlLexer.split("SELECT 1; /* pgsplit:primary */ SELECT 2");

        assertThat(statements).extracting(LexedStatement::primaryHint).containsExactly(false, true);
    }

    @Test
    void unterminatedLiteralsAndCommentsAreFlagged() {
        assertThat(single("SELECT 'abc").unterminated()).isTrue();
        assertThat(single("SELECT E'abc\\'").unterminated()).isTrue();
        assertThat(single("SELECT \"abc").unterminated()).isTrue();
        assertThat(single("SELECT $$abc").unterminated()).isTrue();
        assertThat(single("SELECT $tag$abc$ta$").unterminated()).isTrue();
        assertThat(single("SELECT 1 /* a /* b */").unterminated()).isTrue();
        assertThat(single("SELECT 1 -- unterminated line comments are fine").unterminated()).isFalse();
    }

    @Test
    void unterminatedLiteralSwallowsTheRestOfTheString() {
        List<LexedStatement> statements = SqlLexer.split("SELECT 1; SELECT 'x; DELETE FROM t");

        assertThat(statements).hasSize(2);
        assertThat(statements.get(1).unterminated()).isTrue();
    }

    @Test
    void keepsAtomicRoutineBodyInOneStatement() {
        assertThat(texts("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
                + "SELECT CASE WHEN true THEN 1 END; END; COMMIT")).containsExactly(
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
                        + "SELECT CASE WHEN true THEN 1 END; END",
                "COMMIT");
    }

    @Test
    void routineNamedBeginDoesNotSwallowFollowingStatements() {
        assertThat(texts("CREATE OR REPLACE FUNCTION begin() RETURNS int AS 'SELECT 1' LANGUAGE sql; COMMIT"))
                .containsExactly("CREATE OR REPLACE FUNCTION begin() RETURNS int AS 'SELECT 1' LANGUAGE sql",
                        "COMMIT");
    }

    @Test
    void beginAtomicOutsideRoutineDefinitionDoesNotNest() {
        assertThat(texts("SELECT begin, atomic FROM t; COMMIT")).containsExactly(
                "SELECT begin, atomic FROM t", "COMMIT");
    }

    @Test
    void punctuationTokensAreTyped() {
        LexedStatement statement = single("pg_catalog.nextval('s'), 1");

        assertThat(statement.type(0)).isEqualTo(TokenType.WORD);
        assertThat(statement.type(1)).isEqualTo(TokenType.DOT);
        assertThat(statement.type(3)).isEqualTo(TokenType.OPEN_PAREN);
        assertThat(statement.type(4)).isEqualTo(TokenType.LITERAL);
        assertThat(statement.type(5)).isEqualTo(TokenType.CLOSE_PAREN);
        assertThat(statement.type(6)).isEqualTo(TokenType.COMMA);
        assertThat(statement.type(8)).isNull();
        assertThat(statement.matchingParen(3)).isEqualTo(5);
    }

    @Test
    void textOfTokenRangeSpansFromFirstToLastToken() {
        LexedStatement statement = single("COPY (SELECT 1 /* c */) TO STDOUT");

        assertThat(statement.text(2, 4)).isEqualTo("SELECT 1");
    }
}
