package io.pgsplit.proxy.statements;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerStatementsTest {
    private final ServerStatements server = new ServerStatements();

    private static PreparedStatementDef statement(String name, String sql) {
        return new PreparedStatementDef(name, sql, new byte[0]);
    }

    @Test
    void holdsOnlyTheVeryInstanceThatWasPrepared() {
        PreparedStatementDef def = statement("s1", "SELECT 1");
        server.prepared(def);

        assertThat(server.has(def)).isTrue();
        assertThat(server.has(statement("s1", "SELECT 1"))).as("same name and SQL, another Parse").isFalse();
        assertThat(server.has(statement("s2", "SELECT 1"))).isFalse();
    }

    @Test
    void anotherVersionHeldUnderTheNameNeedsACloseFirst() {
        server.prepared(statement("s1", "SELECT 1"));

        assertThat(server.needsCloseBefore("s1", statement("s1", "SELECT 2"))).isTrue();
    }

    @Test
    void theSameInstanceOrAnUnknownNameNeedsNoClose() {
        PreparedStatementDef def = statement("s1", "SELECT 1");
        server.prepared(def);

        assertThat(server.needsCloseBefore("s1", def)).isFalse();
        assertThat(server.needsCloseBefore("s2", statement("s2", "SELECT 2"))).isFalse();
    }

    @Test
    void theUnnamedStatementNeverNeedsAClose() {
        server.prepared(statement("", "SELECT 1"));

        assertThat(server.needsCloseBefore("", statement("", "SELECT 2"))).isFalse();
    }

    @Test
    void closedElsewhereMakesAHeldNameOutdated() {
        PreparedStatementDef def = statement("s1", "SELECT 1");
        server.prepared(def);

        server.closedElsewhere("s1");

        assertThat(server.isOutdated("s1")).isTrue();
        assertThat(server.has(def)).isFalse();
        assertThat(server.needsCloseBefore("s1", def)).isTrue();
    }

    @Test
    void closedElsewhereIgnoresANameThisServerNeverHeld() {
        server.closedElsewhere("s1");

        assertThat(server.isOutdated("s1")).isFalse();
        assertThat(server.needsCloseBefore("s1", statement("s1", "SELECT 1"))).isFalse();
    }

    @Test
    void preparingTheNameAgainClearsTheOutdatedMark() {
        server.prepared(statement("s1", "SELECT 1"));
        server.closedElsewhere("s1");
        PreparedStatementDef again = statement("s1", "SELECT 2");

        server.prepared(again);

        assertThat(server.isOutdated("s1")).isFalse();
        assertThat(server.has(again)).isTrue();
    }

    @Test
    void closedForgetsTheNameAndItsOutdatedMark() {
        PreparedStatementDef def = statement("s1", "SELECT 1");
        server.prepared(def);
        server.closedElsewhere("s1");

        server.closed("s1");

        assertThat(server.isOutdated("s1")).isFalse();
        assertThat(server.needsCloseBefore("s1", def)).isFalse();
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
        server.closedElsewhere("s2");

        server.clear();

        assertThat(server.has(def)).isFalse();
        assertThat(server.isOutdated("s2")).isFalse();
    }
}
