package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.health.Lsn;
import io.pgsplit.proxy.backend.EmbeddedServer;
import io.pgsplit.proxy.metrics.ConnectionCounts;
import io.pgsplit.proxy.metrics.RouteCount;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session machine driven without a network: client messages in, server replies in, what went where out. */
class SessionMachineTest {
    private static final String EVENTUAL = "consistency: eventual\n";
    private static final String WAL_POSITION = "Query SELECT pg_catalog.pg_current_wal_lsn()";

    private static ServerMessages answer(String value) {
        return new ServerMessages().rows("x", value).ready('I');
    }

    private static long routed(SessionHarness session, String role, String reason) {
        return session.context.metrics().routeCounts().stream()
                .filter(count -> count.role().equals(role) && count.reason().equals(reason))
                .mapToLong(RouteCount::count).sum();
    }

    /** The server of the last pooled connection the session borrowed. */
    private static String replicaUsed(SessionHarness session) {
        List<String> lent = session.connections.lent();
        return lent.get(lent.size() - 1);
    }

    @Test
    void aReadGoesToAReplicaAndItsConnectionGoesBackCleanAtReadyForQuery() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("SELECT 1"));
            String replica = replicaUsed(session);
            assertThat(session.server(replica).received()).containsExactly("Query SELECT 1");
            assertThat(session.machine.phase()).isInstanceOf(SessionPhase.Serving.class);

            session.reply(replica, answer("1"));

            assertThat(session.received()).containsExactly("RowDescription x:25:0", "DataRow 1", "CommandComplete SELECT 1",
                    "ReadyForQuery I");
            assertThat(session.machine.phase()).isEqualTo(SessionPhase.IDLE);
            assertThat(session.connections.givenBack()).containsExactly(replica + " clean");
            assertThat(routed(session, "replica", "read")).isEqualTo(1);
        }
    }

    @Test
    void aReadAfterACommitWaitsForItsWalPositionThenGoesToAReplicaThatReplayedIt() {
        try (SessionHarness session = SessionHarness.start("")) {
            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));
            EmbeddedServer primary = session.server("pg1");
            assertThat(primary.received()).containsExactly("Query INSERT INTO t VALUES (1)", WAL_POSITION);
            session.reply("pg1", new ServerMessages().complete("INSERT 0 1").ready('I'));

            session.send(new ClientMessages().query("SELECT 1"));
            assertThat(session.machine.parts().waits().current()).isEqualTo(Suspension.AWAITING_POSITION);
            assertThat(session.client.isReading()).as("paused while the position is on its way").isFalse();

            session.cluster.replayed("pg2", Lsn.parse("0/16B3750"));
            session.cluster.replayed("pg3", Lsn.parse("0/1000000"));
            session.reply("pg1", new ServerMessages().rows("pg_current_wal_lsn", "0/16B3750").ready('I'));

            assertThat(session.server("pg2").received()).containsExactly("Query SELECT 1");
            assertThat(session.connections.opened("pg3")).as("pg3 has not replayed the commit").isZero();
            assertThat(session.client.isReading()).isTrue();
            assertThat(session.received()).containsExactly("CommandComplete INSERT 0 1", "ReadyForQuery I");
        }
    }

    @Test
    void aReadAfterACommitNoReplicaReplayedGoesToThePrimaryWithReasonFence() {
        try (SessionHarness session = SessionHarness.start("")) {
            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));
            session.reply("pg1", new ServerMessages().complete("INSERT 0 1").ready('I')
                    .rows("pg_current_wal_lsn", "0/16B3750").ready('I'));
            session.server("pg1").received();

            session.send(new ClientMessages().query("SELECT 1"));

            assertThat(session.server("pg1").received()).containsExactly("Query SELECT 1");
            assertThat(routed(session, "primary", "fence")).isEqualTo(1);
            assertThat(session.cluster.replayRefreshesAsked()).as("later reads benefit from fresh positions").isEqualTo(1);
        }
    }

    @Test
    void aReadWhoseReplicaDiesBeforeTheFirstByteIsSentOnceMoreElsewhere() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("SELECT 1"));
            String first = replicaUsed(session);
            String other = first.equals("pg2") ? "pg3" : "pg2";
            session.server(first).received();

            session.server(first).die();
            session.client.runTasks();

            assertThat(session.server(other).received()).containsExactly("Query SELECT 1");
            session.reply(other, answer("1"));
            assertThat(session.received()).containsExactly("RowDescription x:25:0", "DataRow 1", "CommandComplete SELECT 1",
                    "ReadyForQuery I");
            assertThat(session.cluster.healthRefreshes()).isPositive();
        }
    }

    /**
     * A replica stopped with SIGQUIT flushes what it had buffered (ParseComplete, BindComplete, RowDescription) with
     * its shutdown notice before it dies: the client has been shown nothing it cannot be shown again, so the read is
     * still retried elsewhere, and the client sees one whole answer.
     */
    @Test
    void aReadWhoseReplicaDiesAfterOnlyItsPreambleIsSentOnceMoreElsewhere() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().parse("", "SELECT 1").bind("", "").describePortal("").execute().sync());
            String first = replicaUsed(session);
            String other = first.equals("pg2") ? "pg3" : "pg2";
            session.server(first).received();
            session.reply(first, new ServerMessages().parseComplete().bindComplete().rowDescription("x"));

            session.server(first).die();
            session.client.runTasks();

            assertThat(session.server(other).received()).containsExactly("Parse  SELECT 1", "Bind  ", "Describe P ",
                    "Execute", "Sync");
            session.reply(other, new ServerMessages().parseComplete().bindComplete().rows("x", "1").ready('I'));
            assertThat(session.received()).containsExactly("ParseComplete", "BindComplete", "RowDescription x:25:0",
                    "DataRow 1", "CommandComplete SELECT 1", "ReadyForQuery I");
        }
    }

    @Test
    void aGroupSplitByFlushAcrossTwoReadsStaysOnOneServer() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().parse("", "SELECT 1").bind("", "").describePortal("").flush());
            String replica = replicaUsed(session);
            assertThat(session.server(replica).received()).containsExactly("Parse  SELECT 1", "Bind  ", "Describe P ",
                    "Flush");
            assertThat(session.machine.phase()).as("until its Sync, the group holds its server")
                    .isInstanceOf(SessionPhase.Tied.class);
            session.reply(replica, new ServerMessages().parseComplete().bindComplete());

            session.send(new ClientMessages().execute().sync());

            assertThat(session.server(replica).received()).containsExactly("Execute", "Sync");
            assertThat(session.connections.lent()).as("one connection for the whole group").containsExactly(replica);
            session.reply(replica, new ServerMessages().complete("SELECT 1").ready('I'));
            assertThat(session.machine.phase()).isEqualTo(SessionPhase.IDLE);
        }
    }

    @Test
    void aSessionPinnedByATemporaryTableReadsOnThePrimary() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("CREATE TEMP TABLE scratch (x int)"));
            session.reply("pg1", new ServerMessages().complete("CREATE TABLE").ready('I'));

            session.send(new ClientMessages().query("SELECT * FROM scratch"));

            assertThat(session.server("pg1").received()).containsExactly("Query CREATE TEMP TABLE scratch (x int)",
                    "Query SELECT * FROM scratch");
            assertThat(routed(session, "primary", "pinned")).isEqualTo(1);
            assertThat(session.connections.lent()).as("no replica connection since login").isEmpty();
        }
    }

    @Test
    void aCopyInThatCommitsAsksForItsFenceOnlyAfterItsReadyForQuery() {
        try (SessionHarness session = SessionHarness.start("")) {
            session.send(new ClientMessages().query("COPY t FROM STDIN"));
            assertThat(session.server("pg1").received()).as("nothing may follow while the server is in COPY IN")
                    .containsExactly("Query COPY t FROM STDIN");
            session.reply("pg1", new ServerMessages().copyIn());

            session.send(new ClientMessages().copyData("1\n").copyDone());
            assertThat(session.server("pg1").received()).containsExactly("CopyData 1\n", "CopyDone");
            session.reply("pg1", new ServerMessages().complete("COPY 1").ready('I'));

            assertThat(session.server("pg1").received()).containsExactly(WAL_POSITION);
            assertThat(session.received()).containsExactly("CopyInResponse", "CommandComplete COPY 1", "ReadyForQuery I");
        }
    }

    @Test
    void aServerLostInATransactionIsReportedOnTheNextRequestAndTheSessionGoesOn() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("BEGIN"));
            session.reply("pg1", new ServerMessages().complete("BEGIN").ready('T'));
            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));
            session.reply("pg1", new ServerMessages().complete("INSERT 0 1").ready('T'));
            session.received();

            session.server("pg1").die();
            session.client.runTasks();
            assertThat(session.machine.phase()).isInstanceOf(SessionPhase.Broken.class);

            session.send(new ClientMessages().query("COMMIT"));
            assertThat(session.received()).containsExactly("ErrorResponse ERROR 08006 pgsplit: lost the connection to "
                    + "server pg1: server closed the connection; the transaction was rolled back", "ReadyForQuery I");

            session.send(new ClientMessages().query("INSERT INTO t VALUES (2)"));
            assertThat(session.connections.opened("pg1")).as("a new primary connection").isEqualTo(2);
            assertThat(session.server("pg1").received()).containsExactly("Query INSERT INTO t VALUES (2)");
        }
    }

    @Test
    void aStatementTheCacheDoesNotKeepIsParsedOnceAndThenRouted() {
        String longLockingRead = "SELECT x FROM t /* " + "padding ".repeat(2_200) + "*/ WHERE x IN (SELECT x FROM t) FOR UPDATE";
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query(longLockingRead));

            assertThat(session.server("pg1").received()).containsExactly("Query " + longLockingRead);
            assertThat(routed(session, "primary", "locking_read")).isEqualTo(1);
        }
    }

    @Test
    void aParseThatTimesOutRoutesItsRequestToThePrimaryOnceAsUnparsed() {
        String lockingRead = "SELECT x FROM t WHERE x = 1 FOR UPDATE";
        FakeCluster cluster = FakeCluster.standard();
        try (SessionHarness session = SessionHarness.start("routing: {parse_timeout: 5ms}\n" + EVENTUAL, cluster,
                neverRun -> { })) {
            session.send(new ClientMessages().query(lockingRead));
            assertThat(session.machine.parts().waits().current()).isEqualTo(Suspension.CLASSIFYING);

            session.client.awaitTask(5_000);

            assertThat(session.server("pg1").received()).containsExactly("Query " + lockingRead);
            assertThat(routed(session, "primary", "unparsed")).isEqualTo(1);
        }
    }

    @Test
    void aFailureWhileHandlingAServerReplyEndsTheSessionAndLeavesTheServerConnectionToItsPool() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("SELECT 1"));
            String replica = replicaUsed(session);
            session.client.failNextFlush(new IllegalStateException("a bug"));

            session.reply(replica, answer("1"));

            assertThat(session.received()).contains("ErrorResponse FATAL XX000 pgsplit: internal error: "
                    + "java.lang.IllegalStateException: a bug");
            assertThat(session.sessionClosed()).isTrue();
            assertThat(session.server(replica).isOpen()).as("the session's bug does not close the server's channel").isTrue();
            assertThat(session.connections.givenBack()).containsExactly(replica + " clean");
        }
    }

    @Test
    void aTopologyChangeThatRemovesTheServerOfAnOpenTransactionInASplitBrainLetsItFinish() {
        try (SessionHarness session = SessionHarness.start(EVENTUAL)) {
            session.send(new ClientMessages().query("BEGIN"));
            session.reply("pg1", new ServerMessages().complete("BEGIN").ready('T'));

            session.machine.onTopologyChanged(FakeCluster.topology(true, FakeCluster.primary("pg2"),
                    FakeCluster.primary("pg3")));
            session.cluster.topology(FakeCluster.topology(true, FakeCluster.primary("pg2"), FakeCluster.primary("pg3")));
            session.send(new ClientMessages().query("COMMIT"));
            session.reply("pg1", new ServerMessages().complete("COMMIT").ready('I'));

            assertThat(session.received()).containsExactly("CommandComplete BEGIN", "ReadyForQuery T",
                    "CommandComplete COMMIT", "ReadyForQuery I");
            assertThat(session.server("pg1").received()).containsExactly("Query BEGIN", "Query COMMIT");
            assertThat(session.server("pg1").isOpen()).as("dropped once its transaction ended: it was removed").isFalse();
        }
    }

    @Test
    void connectionGaugesReturnToTheTrueCountsWhenAClientLeavesRightAfterAWrite() {
        try (SessionHarness session = SessionHarness.start("")) {
            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));
            session.reply("pg1", new ServerMessages().complete("INSERT 0 1").ready('I'));
            assertThat(session.context.metrics().serverConnections("pg1")).isEqualTo(new ConnectionCounts(0, 1));

            session.machine.onClientClosed(); // the WAL position asked behind the INSERT has not come back yet

            assertThat(session.context.metrics().serverConnections("pg1")).isEqualTo(new ConnectionCounts(0, 0));
        }
    }
}
