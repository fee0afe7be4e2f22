package io.pgsplit.proxy.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.protocol.SqlState;
import io.pgsplit.proxy.commands.ProxyCommand.ExplainRoute;
import io.pgsplit.proxy.commands.ProxyCommand.Invalid;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExplainRouteGrammarTest {

    @Test
    void theExplainedStatementIsEverythingAfterTheOptionsHintIncluded() {
        assertThat(ProxyCommands.parse("EXPLAIN (ROUTE) SELECT 1;"))
                .contains(new ExplainRoute("SELECT 1"));
        assertThat(ProxyCommands.parse("  explain ( route true ) /* pgsplit:primary */ SELECT a FROM t"))
                .contains(new ExplainRoute("/* pgsplit:primary */ SELECT a FROM t"));
        assertThat(ProxyCommands.parse("/* app */ EXPLAIN (ROUTE ON) UPDATE t SET a = $1"))
                .contains(new ExplainRoute("UPDATE t SET a = $1"));
    }

    @Test
    void otherExplainsAreTheServers() {
        assertThat(ProxyCommands.parse("EXPLAIN SELECT 1")).isEmpty();
        assertThat(ProxyCommands.parse("EXPLAIN (ANALYZE) SELECT 1")).isEmpty();
        assertThat(ProxyCommands.parse("EXPLAIN (ROUTE FALSE) SELECT 1")).isEmpty();
        assertThat(ProxyCommands.parse("SELECT * FROM routes")).isEmpty();
    }

    @Test
    void malformedOrCombinedRequestsAreErrors() {
        assertThat(invalid("EXPLAIN (ROUTE, COSTS) SELECT 1")).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
        assertThat(invalid("EXPLAIN (ROUTE)")).isEqualTo(SqlState.SYNTAX_ERROR);
        assertThat(invalid("EXPLAIN (ROUTE) SELECT 1; SELECT 2")).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
        assertThat(invalid("EXPLAIN (ROUTE) SET pgsplit.consistency = eventual"))
                .isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
    }

    @Test
    void undeclaredParametersAreDescribedAsText() {
        assertThat(Parameters.highest("SELECT $2, '$9', $1 -- $7")).isEqualTo(2);
        assertThat(Parameters.highest("SELECT 1")).isZero();
    }

    private static String invalid(String sql) {
        Optional<ProxyCommand> command = ProxyCommands.parse(sql);
        assertThat(command).isPresent().get().isInstanceOf(Invalid.class);
        return ((Invalid) command.get()).sqlState();
    }
}
