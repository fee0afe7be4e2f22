package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a session holds a primary connection, and when it gives it back: session mode, and transaction mode. */
class ConnectionLendingTest {
    private static final String TRANSACTION_MODE = "pool_mode: transaction\nconsistency: eventual\n";
    private static final String WAL_POSITION = "Query SELECT pg_catalog.pg_current_wal_lsn()";

    @Test
    void aSessionModeClientThatOnlyReadsNeverOpensAPrimaryConnection() {
        try (SessionHarness session = SessionHarness.start("consistency: eventual\n")) {
            assertThat(session.connections.opened("pg1")).as("login used a pooled replica connection").isZero();

            session.send(new ClientMessages().query("SELECT 1"));
            session.reply(session.connections.lent().get(0), new ServerMessages().rows("x", "1").ready('I'));
            assertThat(session.connections.opened("pg1")).isZero();

            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));
            assertThat(session.connections.opened("pg1")).as("opened at the first statement that needs it").isEqualTo(1);
            assertThat(session.server("pg1").received()).containsExactly("Query INSERT INTO t VALUES (1)");
        }
    }

    @Test
    void inTransactionModeTheSessionsOwnClientSettingsFollowItOntoEachPooledPrimaryConnection() {
        try (SessionHarness session = SessionHarness.start(TRANSACTION_MODE)) {
            session.send(new ClientMessages().query("SET work_mem = '8MB'"));
            session.reply("pg1", new ServerMessages().complete("SET").ready('I'));
            assertThat(session.connections.givenBack()).containsExactly("pg1 clean");
            session.server("pg1").received();
            session.connections.parkIdle("pg1"); // another connection, fresher: lent next

            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));

            assertThat(session.server("pg1").received()).containsExactly("Query SET work_mem TO '8MB'",
                    "Query INSERT INTO t VALUES (1)");
        }
    }

    @Test
    void inTransactionModeAPrimaryConnectionIsLentForOneTransactionAndGivenBackAtItsEnd() {
        try (SessionHarness session = SessionHarness.start(TRANSACTION_MODE)) {
            session.send(new ClientMessages().query("BEGIN"));
            session.reply("pg1", new ServerMessages().complete("BEGIN").ready('T'));
            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));
            session.reply("pg1", new ServerMessages().complete("INSERT 0 1").ready('T'));
            assertThat(session.connections.givenBack()).as("kept while the transaction is open").isEmpty();

            session.send(new ClientMessages().query("COMMIT"));
            session.reply("pg1", new ServerMessages().complete("COMMIT").ready('I'));

            assertThat(session.server("pg1").received()).containsExactly("Query BEGIN", "Query INSERT INTO t VALUES (1)",
                    "Query COMMIT");
            assertThat(session.connections.givenBack()).containsExactly("pg1 clean");
            assertThat(session.machine.phase()).isEqualTo(SessionPhase.IDLE);
        }
    }

    @Test
    void aPooledPrimaryGoesBackOnlyOnceTheWalPositionAskedBehindACommitIsAnswered() {
        try (SessionHarness session = SessionHarness.start("pool_mode: transaction\n")) {
            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));
            assertThat(session.server("pg1").received()).containsExactly("Query INSERT INTO t VALUES (1)", WAL_POSITION);

            session.reply("pg1", new ServerMessages().complete("INSERT 0 1").ready('I'));
            assertThat(session.connections.givenBack()).as("its answer to the proxy's query is still owed").isEmpty();

            session.reply("pg1", new ServerMessages().rows("pg_current_wal_lsn", "0/16B3750").ready('I'));
            assertThat(session.connections.givenBack()).containsExactly("pg1 clean");
            assertThat(session.received()).containsExactly("CommandComplete INSERT 0 1", "ReadyForQuery I");
        }
    }

    @Test
    void aPinnedTransactionModeSessionKeepsItsPrimaryConnectionUntilThePinEnds() {
        try (SessionHarness session = SessionHarness.start(TRANSACTION_MODE)) {
            session.send(new ClientMessages().query("CREATE TEMP TABLE scratch (x int)"));
            session.reply("pg1", new ServerMessages().complete("CREATE TABLE").ready('I'));
            assertThat(session.connections.givenBack()).as("a temporary table lives on that connection").isEmpty();
            // Pooled connections are read off the real pools at scrape time; this session's pools are fakes.
            assertThat(session.context.metrics().serverConnections("pg1").pinned()).isEqualTo(1);

            session.send(new ClientMessages().query("SELECT * FROM scratch"));
            session.reply("pg1", new ServerMessages().rows("x").ready('I'));
            session.send(new ClientMessages().query("DISCARD TEMP"));
            session.reply("pg1", new ServerMessages().complete("DISCARD TEMP").ready('I'));

            assertThat(session.connections.givenBack()).containsExactly("pg1 clean");
            assertThat(session.context.metrics().serverConnections("pg1").pinned()).isZero();
        }
    }

    @Test
    void anotherClientsSqlPreparedStatementIsDeallocatedBeforeThisClientUsesTheConnection() {
        try (SessionHarness session = SessionHarness.start(TRANSACTION_MODE)) {
            io.pgsplit.proxy.backend.EmbeddedServer parked = session.connections.parkIdle("pg1");
            parked.connection().sqlPrepared().put("p1", "PREPARE p1 AS DELETE FROM t");

            session.send(new ClientMessages().query("EXECUTE p1"));

            assertThat(parked.received()).containsExactly("Query DEALLOCATE \"p1\"", "Query EXECUTE p1");
        }
    }

    @Test
    void aClientLeavingInTheMiddleOfATransactionClosesTheLentConnection() {
        try (SessionHarness session = SessionHarness.start(TRANSACTION_MODE)) {
            session.send(new ClientMessages().query("BEGIN"));
            session.reply("pg1", new ServerMessages().complete("BEGIN").ready('T'));

            session.machine.onClientClosed();

            assertThat(session.connections.givenBack()).as("closing it rolls the transaction back")
                    .containsExactly("pg1 closed");
        }
    }
}
