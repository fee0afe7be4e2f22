package io.pgsplit.proxy.statements;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerStatementsTest {
    private final ServerStatements server = new ServerStatements();

    @Test
    void eachContentGetsANameOfItsOwnOnThisConnection() {
        server.beginDispatch();
        ServerStatements.Held first = server.register("SELECT 1");
        ServerStatements.Held second = server.register("SELECT 2");

        assertThat(first.name()).isEqualTo("pgsplit_s1");
        assertThat(second.name()).isEqualTo("pgsplit_s2");
        assertThat(server.find("SELECT 1")).isSameAs(first);
        assertThat(server.find("SELECT 3")).isNull();
    }

    @Test
    void leastRecentlyUsedBeyondTheLimitAreForgottenAndOweAClose() {
        for (int i = 1; i <= 3; i++) {
            server.beginDispatch();
            server.register("SELECT " + i);
        }
        server.beginDispatch();
        server.find("SELECT 1"); // used again: now the most recent
        server.register("SELECT 4");

        server.evictBeyond(2);

        assertThat(server.size()).isEqualTo(2);
        assertThat(server.takeClosesOwed()).containsExactly("pgsplit_s2", "pgsplit_s3");
        assertThat(server.takeClosesOwed()).as("owed once").isEmpty();
        assertThat(server.find("SELECT 1")).isNotNull();
        assertThat(server.find("SELECT 2")).isNull();
    }

    @Test
    void whatTheCurrentRequestUsesIsNeverEvictedEvenBeyondTheLimit() {
        server.beginDispatch();
        server.register("SELECT 1");
        server.register("SELECT 2");
        server.register("SELECT 3");

        server.evictBeyond(1);

        assertThat(server.size()).as("all three are bound by the request being sent").isEqualTo(3);
        assertThat(server.takeClosesOwed()).isEmpty();
        server.beginDispatch();
        server.register("SELECT 4");
        server.evictBeyond(1);
        assertThat(server.names()).containsExactly("pgsplit_s4");
    }

    @Test
    void anUnconfirmedStatementIsForgottenAndClosedUnlessRegisteredAnew() {
        server.beginDispatch();
        ServerStatements.Held failed = server.register("SELECT nope");

        server.unconfirmed("SELECT nope", failed);

        assertThat(server.find("SELECT nope")).isNull();
        assertThat(server.takeClosesOwed()).containsExactly("pgsplit_s1");
        ServerStatements.Held again = server.register("SELECT nope");
        server.unconfirmed("SELECT nope", failed);
        assertThat(server.find("SELECT nope")).as("a newer registration stays").isSameAs(again);
    }

    @Test
    void clearForgetsEverythingIncludingOwedCloses() {
        server.beginDispatch();
        server.register("SELECT 1");
        server.register("SELECT 2");
        server.beginDispatch();
        server.evictBeyond(1);

        server.clear();

        assertThat(server.size()).isZero();
        assertThat(server.takeClosesOwed()).isEmpty();
    }
}
