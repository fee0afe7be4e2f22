package io.pgsplit.router.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.router.FunctionReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutineBodyTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "BEGIN INSERT INTO t VALUES (1); END",
            "BEGIN UPDATE t SET a = 1; END",
            "BEGIN PERFORM 1 FROM t FOR UPDATE; END",
            "BEGIN PERFORM 1 FROM t FOR KEY SHARE; END",
            "BEGIN EXECUTE 'SELECT 1'; END",
            "BEGIN RETURN QUERY EXECUTE q; END",
            "BEGIN SET search_path = x; END",
            "BEGIN CREATE TEMP TABLE x (a int); END",
            "BEGIN LOCK TABLE t; END",
            "BEGIN NOTIFY c; END",
            "BEGIN CALL p(); END",
            "BEGIN 'unterminated"})
    void findsWhatMayWrite(String source) {
        assertThat(RoutineBody.of("plpgsql", source).writes()).isTrue();
    }

    @Test
    void selectIntoCreatesATableOnlyInSqlFunctions() {
        assertThat(RoutineBody.of("plpgsql", "BEGIN SELECT a INTO v FROM t; RETURN v; END").writes()).isFalse();
        assertThat(RoutineBody.of("sql", "SELECT a INTO new_table FROM t").writes()).isTrue();
    }

    @Test
    void ignoresStringsAndCommentsAndKeepsTheCalls() {
        RoutineBody body = RoutineBody.of("plpgsql", """
                DECLARE v text := 'INSERT INTO t';
                BEGIN
                  -- DELETE FROM t
                  /* UPDATE t */
                  IF (lower(v) = $q$DROP$q$) THEN
                    RETURN app.helper(v);
                  END IF;
                  RETURN QUERY SELECT now();
                END""");

        assertThat(body.writes()).isFalse();
        assertThat(body.calls()).containsExactly(new FunctionReference(null, "lower"),
                new FunctionReference("app", "helper"), new FunctionReference(null, "now"));
    }
}
