package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LiteralShapeTest {

    private static LiteralShape shapeOf(String sql) {
        List<LexedStatement> statements = SqlLexer.split(sql);
        assertThat(statements).hasSize(1);
        return LiteralShape.of(sql, statements.get(0));
    }

    @Test
    void matchesTheSameTextWithOtherSimpleLiterals() {
        LiteralShape shape = shapeOf("SELECT a FROM t WHERE b = 42 AND c = 'x' AND d = $1");

        assertThat(shape.matches("SELECT a FROM t WHERE b = 42 AND c = 'x' AND d = $1")).isTrue();
        assertThat(shape.matches("SELECT a FROM t WHERE b = 7 AND c = 'it''s' AND d = $1")).isTrue();
        assertThat(shape.matches("SELECT a FROM t WHERE b = 123456789012345678901 AND c = '' AND d = $1")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT a FROM t WHERE b = 7 AND c = 'x' AND d = $2", // a parameter is text, not a literal
        "SELECT a FROM t WHERE b = 1.5 AND c = 'x' AND d = $1",
        "SELECT a FROM t WHERE b = 1e5 AND c = 'x' AND d = $1",
        "SELECT a FROM t WHERE b = 1_000 AND c = 'x' AND d = $1",
        "SELECT a FROM t WHERE b = 0x1F AND c = 'x' AND d = $1",
        "SELECT a FROM t WHERE b = 12abc AND c = 'x' AND d = $1",
        "SELECT a FROM t WHERE b = -7 AND c = 'x' AND d = $1",
        "SELECT a FROM t WHERE b = $3 AND c = 'x' AND d = $1",
        "SELECT a FROM t WHERE b = '7' AND c = 'x' AND d = $1",
        "SELECT a FROM t WHERE b = 7 AND c = E'x' AND d = $1",
        "SELECT a FROM t WHERE b = 7 AND c = U&'x' AND d = $1",
        "SELECT a FROM t WHERE b = 7 AND c = $$x$$ AND d = $1",
        "SELECT a FROM t WHERE b = 7 AND c = 'x\\' AND d = $1",
        "SELECT a FROM t WHERE b = 7 AND c = 'unterminated AND d = $1",
        "SELECT a FROM t WHERE b = 7 AND c = 'x' 'y' AND d = $1",
        "SELECT a FROM t WHERE b = 7 AND c = 'x' AND d = $1;",
        "SELECT a FROM t WHERE b = 7 AND c = 'x' AND d = $1; DELETE FROM t",
        "SELECT a FROM t WHERE b = 7 AND c = 'x'; DELETE FROM t; --' AND d = $1",
        "select a FROM t WHERE b = 7 AND c = 'x' AND d = $1",
        "SELECT a FROM t WHERE b = 7 AND c = 'x' AND d = $1 ",
        "SELECT a FROM t WHERE b = 7",
        ""})
    void refusesEverythingElse(String other) {
        LiteralShape shape = shapeOf("SELECT a FROM t WHERE b = 42 AND c = 'x' AND d = $1");

        assertThat(shape.matches(other)).as(other).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1.5", "SELECT 1e5", "SELECT 1_000", "SELECT 0x1F", "SELECT 12abc",
        "SELECT E'x'", "SELECT e'x'", "SELECT U&'x'", "SELECT B'1'", "SELECT X'1F'", "SELECT N'x'", "SELECT a&'x'",
        "SELECT $$x$$", "SELECT $a$x$a$", "SELECT 'a\\'", "SELECT 'a'1", "SELECT 1'a'", "SELECT .5",
        "SELECT a FROM t WHERE b = $1", "SELECT a FROM t"})
    void learnsNoShapeUnlessEveryLiteralIsSimple(String sql) {
        assertThat(shapeOf(sql)).as(sql).isNull();
    }

    @Test
    void learnsNoTextLongerThanTheLimit() {
        String filler = " ".repeat(LiteralShape.MAX_TEMPLATE_LENGTH);

        assertThat(shapeOf("SELECT 1" + filler)).isNull();
        assertThat(shapeOf("SELECT 1" + filler.substring(8))).isNotNull();
    }

    @Test
    void literalsNextToOperatorsAndCastsAreLiteralsOfTheirOwn() {
        LiteralShape shape = shapeOf("SELECT 1+2, 'a'||'b', '2024-01-01'::date, (3), a[4]");

        assertThat(shape.matches("SELECT 10+20, 'c'||'d', '2025-02-02'::date, (5), a[6]")).isTrue();
        assertThat(shape.matches("SELECT 10+-20, 'c'||'d', '2025-02-02'::date, (5), a[6]")).isFalse();
        assertThat(shape.matches("SELECT 10+2.0, 'c'||'d', '2025-02-02'::date, (5), a[6]")).isFalse();
    }

    @Test
    void commentsAndStringsThatLookLikeCommentsCompareAsWritten() {
        LiteralShape shape = shapeOf("SELECT '--' FROM t /* note */ WHERE a = 1 -- end");

        assertThat(shape.matches("SELECT '/*' FROM t /* note */ WHERE a = 2 -- end")).isTrue();
        assertThat(shape.matches("SELECT '--' FROM t /* pgsplit:primary */ WHERE a = 2 -- end")).isFalse();
        assertThat(shape.matches("SELECT '--' FROM t /* note */ WHERE a = 2 -- end\n; DELETE FROM t")).isFalse();
    }
}
