package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.health.Lsn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EXPLAIN (ROUTE) answered by the session itself: nothing reaches a server, the row says what a request would do. */
class ExplainRouteSessionTest {
    private static final String EVENTUAL = "consistency: eventual\n";
    private static final String COLUMNS = "RowDescription target:25:0, reason:25:0, server:25:0, consistency:25:0,"
            + " cached:25:0";

    private static void assertNothingSent(SessionHarness session) {
        for (String server : List.of("pg1", "pg2", "pg3")) {
            if (session.connections.opened(server) > 0) {
                assertThat(session.server(server).received()).as(server).isEmpty();
            }
        }
    }

    @Test
    void aReadIsExplainedWithTheReplicaTheNextReadGetsAndThenRunsThere() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("EXPLAIN (ROUTE) SELECT abalance FROM accounts WHERE aid = $1"));

            List<String> answer = session.received();
            assertNothingSent(session);
            assertThat(answer).hasSize(4);
            assertThat(answer.get(0)).isEqualTo(COLUMNS);
            String server = answer.get(1).split(", ")[2];
            assertThat(answer).containsExactly(COLUMNS,
                    "DataRow replica, read, " + server + ", eventual: any replica, false", "CommandComplete EXPLAIN",
                    "ReadyForQuery I");

            session.send(new ClientMessages().query("SELECT abalance FROM accounts WHERE aid = $1"));
            assertThat(session.server(server).received()).containsExactly("Query SELECT abalance FROM accounts WHERE aid = $1");
        }
    }

    @Test
    void aClassificationFromTheCacheSaysSo() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            String read = "SELECT * FROM t WHERE id = $1";
            session.send(new ClientMessages().query("EXPLAIN (ROUTE) " + read));
            assertThat(session.received().get(1)).endsWith(", false");

            session.send(new ClientMessages().query("EXPLAIN (ROUTE) " + read));

            assertThat(session.received().get(1)).endsWith(", true");
        }
    }

    @Test
    void aStatementThatNeedsTheParserIsExplainedOnceParsed() {
        List<Runnable> parses = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (SessionHarness session = SessionHarness.start(EVENTUAL + "routing: {parse_timeout: 60s}\n", FakeCluster.standard(),
                parses::add)) {
            session.send(new ClientMessages().query("EXPLAIN (ROUTE) SELECT * FROM t WHERE id = $1 FOR UPDATE"));
            assertThat(session.received()).as("waits for the parser").isEmpty();

            parses.forEach(Runnable::run);
            session.client.awaitTask(5_000);

            assertThat(session.received()).contains("DataRow primary, locking_read, pg1, eventual, false");
            assertNothingSent(session);
        }
    }

    @Test
    void aWriteGoesToThePrimary() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("EXPLAIN (ROUTE) UPDATE t SET a = 1"));

            assertThat(session.received()).contains("DataRow primary, write, pg1, eventual, false");
            assertNothingSent(session);
        }
    }

    @Test
    void theExtendedProtocolWithParametersGetsARowDescriptionAtDescribe() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().parse("S_1", "EXPLAIN (ROUTE) SELECT * FROM t WHERE a = $1 AND b = $2")
                    .describeStatement("S_1").bind("", "S_1").describePortal("").execute().sync());

            List<String> answer = session.received();
            assertThat(answer).startsWith("ParseComplete", "ParameterDescription [25, 25]", COLUMNS, "BindComplete",
                    COLUMNS);
            assertThat(answer.get(5)).startsWith("DataRow replica, read, pg");
            assertThat(answer.subList(6, 8)).containsExactly("CommandComplete EXPLAIN", "ReadyForQuery I");
            assertNothingSent(session);
        }
    }

    @Test
    void insideATransactionTheTransactionDecides() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("BEGIN"));
            session.reply("pg1", new ServerMessages().complete("BEGIN").ready('T'));
            session.received();

            session.send(new ClientMessages().query("EXPLAIN (ROUTE) SELECT 1"));

            assertThat(session.received()).containsExactly(COLUMNS,
                    "DataRow primary, transaction, pg1, the transaction decides: it runs where the transaction runs,"
                            + " false", "CommandComplete EXPLAIN", "ReadyForQuery T");
            assertThat(session.server("pg1").received()).containsExactly("Query BEGIN");
        }
    }

    @Test
    void aFunctionCallWithoutACatalogSnapshotIsUnknownAndWithTheCatalogOffAReadAgain() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("EXPLAIN (ROUTE) SELECT create_order(1)"));
            assertThat(session.received()).contains("DataRow primary, unknown_function, pg1, eventual, false");
        }
        try (SessionHarness session = SessionHarness.start(EVENTUAL + "routing: {catalog: off}\n")) {
            session.send(new ClientMessages().query("EXPLAIN (ROUTE) SELECT create_order(1)"));
            assertThat(session.received().get(1)).startsWith("DataRow replica, read, pg");
        }
    }

    @Test
    void readYourWritesSaysWhichReplicasReplayedTheLastCommit() {
        try (SessionHarness session = SessionHarness.start("")) {
            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));
            session.reply("pg1", new ServerMessages().complete("INSERT 0 1").ready('I')
                    .rows("pg_current_wal_lsn", "0/16B3750").ready('I'));
            session.received();

            session.send(new ClientMessages().query("EXPLAIN (ROUTE) SELECT 1"));
            assertThat(session.received()).contains("DataRow primary, fence, pg1, read-your-writes: no replica has"
                    + " replayed 0/16B3750 yet, so the primary, false");

            session.cluster.replayed("pg3", Lsn.parse("0/16B3750"));
            session.send(new ClientMessages().query("EXPLAIN (ROUTE) SELECT 1"));
            assertThat(session.received()).as("inline values: never cached").contains("DataRow replica, read, pg3,"
                    + " read-your-writes: replicas that replayed 0/16B3750: pg3, false");
        }
    }

    @Test
    void explainingAPgsplitCommandOrWithOtherOptionsIsAnError() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("EXPLAIN (ROUTE, ANALYZE) SELECT 1"));
            assertThat(session.received()).containsExactly(
                    "ErrorResponse ERROR 0A000 EXPLAIN option ROUTE cannot be combined with other options",
                    "ReadyForQuery I");

            session.send(new ClientMessages().query("EXPLAIN (ROUTE) SHOW pgsplit.consistency"));
            assertThat(session.received().get(0)).startsWith("ErrorResponse ERROR 0A000 EXPLAIN (ROUTE) of a pgsplit");
            assertNothingSent(session);
        }
    }
}
