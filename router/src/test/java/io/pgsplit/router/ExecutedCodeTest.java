package io.pgsplit.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The code a string runs, as the reset rule of pooled connections sees it. */
class ExecutedCodeTest {

    private static CodeCalls codeOf(String sql) {
        CodeCalls code = CodeCalls.NONE;
        for (LexedStatement statement : SqlLexer.split(sql)) {
            code = code.and(ExecutedCode.of(statement));
        }
        return code;
    }

    private static List<String> callsOf(String sql) {
        return codeOf(sql).calls().stream().map(FunctionReference::toString).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT abalance FROM pgbench_accounts WHERE aid = $1",
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 2, 3, 4, CURRENT_TIMESTAMP)",
            "INSERT INTO s.t (a) VALUES (1) ON CONFLICT (a) DO NOTHING",
            "UPDATE t SET a = a + 1 WHERE id IN (1, 2)",
            "COPY t (a, b) FROM STDIN",
            "CREATE TEMP TABLE IF NOT EXISTS scratch (a numeric(10, 2), b varchar(20), PRIMARY KEY (a), CHECK (a > 0))",
            "SELECT set_config('app.tenant', '42', false)",
            "PREPARE p (int) AS SELECT app.f($1)",
            "GRANT EXECUTE ON FUNCTION app.f(int) TO someone",
            "SET work_mem = '8MB'", "BEGIN", "COMMIT"})
    void plainStatementsRunNoCodeWorthAReset(String sql) {
        assertThat(codeOf(sql).isEmpty()).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DO $$ BEGIN PERFORM 1; END $$", "REFRESH MATERIALIZED VIEW mv", "VACUUM ANALYZE t",
            "CREATE INDEX ON t (app.key(a))"})
    void codeThatNoCallNamesIsOpaque(String sql) {
        assertThat(codeOf(sql).opaque()).as(sql).isTrue();
    }

    @org.junit.jupiter.api.Test
    void callsAreSeenWhereverTheyRun() {
        assertThat(callsOf("SELECT sc(), count(*) FROM t")).containsExactly("sc", "count");
        assertThat(callsOf("INSERT INTO t (a) VALUES (app.next_id())")).containsExactly("app.next_id");
        assertThat(callsOf("CALL app.proc(1)")).containsExactly("app.proc");
        assertThat(callsOf("SELECT set_config('role', current_setting('x'), false)"))
                .as("computed: not tracked").containsExactly("set_config", "current_setting");
        assertThat(callsOf("CREATE TABLE t2 AS SELECT app.f(a) FROM t")).containsExactly("app.f");
    }
}
