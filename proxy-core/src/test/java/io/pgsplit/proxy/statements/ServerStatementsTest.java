package io.pgsplit.proxy.statements;

import java.nio.charset.StandardCharsets;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerStatementsTest {
    private final ServerStatements server = new ServerStatements();

    /** A definition whose Parse message is its name and SQL: equal content, equal bytes. */
    private static PreparedStatementDef statement(String name, String sql) {
        return new PreparedStatementDef(name, sql, (name + "\0" + sql).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void holdsADefinitionOfTheSameContentWhicheverClientPreparedIt() {
        PreparedStatementDef def = statement("s1", "SELECT 1");
        server.prepared(def);

        assertThat(server.has(def)).isTrue();
        assertThat(server.has(statement("s1", "SELECT 1"))).as("same name and SQL, another client's Parse").isTrue();
        assertThat(server.has(statement("s1", "SELECT 2"))).as("same name, other SQL").isFalse();
        assertThat(server.has(statement("s2", "SELECT 1"))).isFalse();
    }

    @Test
    void holdsANameWhateverItsContent() {
        server.prepared(statement("s1", "SELECT 1"));

        assertThat(server.holds("s1")).isTrue();
        assertThat(server.holds("s2")).isFalse();
    }

    @Test
    void theUnnamedStatementIsNeverHeldForClosing() {
        server.prepared(statement("", "SELECT 1"));

        assertThat(server.holds("")).as("a Parse simply replaces it").isFalse();
    }

    @Test
    void closedForgetsTheName() {
        PreparedStatementDef def = statement("s1", "SELECT 1");
        server.prepared(def);

        server.closed("s1");

        assertThat(server.holds("s1")).isFalse();
        assertThat(server.has(def)).isFalse();
    }

    @Test
    void simpleQueryDropsOnlyTheUnnamedStatement() {
        PreparedStatementDef unnamed = statement("", "SELECT 1");
        PreparedStatementDef named = statement("s1", "SELECT 2");
        server.prepared(unnamed);
        server.prepared(named);

        server.unnamedDropped();

        assertThat(server.has(unnamed)).isFalse();
        assertThat(server.has(named)).isTrue();
    }

    @Test
    void clearForgetsEverything() {
        PreparedStatementDef def = statement("s1", "SELECT 1");
        server.prepared(def);
        server.prepared(statement("s2", "SELECT 2"));

        server.clear();

        assertThat(server.has(def)).isFalse();
        assertThat(server.holds("s2")).isFalse();
    }
}
