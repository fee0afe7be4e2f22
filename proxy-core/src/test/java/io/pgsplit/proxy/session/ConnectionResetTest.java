package io.pgsplit.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A pooled connection carries nothing from one client to the next, even what pgsplit could not see being done. */
class ConnectionResetTest {
    private static final String EVENTUAL = "consistency: eventual\n";
    /** Without the catalog a call of an unknown function is a read: it reaches a pooled replica connection. */
    private static final String NO_CATALOG = EVENTUAL + "routing:\n  catalog: off\n";

    private static String replicaUsed(SessionHarness session) {
        List<String> lent = session.connections.lent();
        return lent.get(lent.size() - 1);
    }

    @Test
    void aParameterChangedBehindTheClientsBackIsDiscardedBeforeTheConnectionGoesBack() {
        try (SessionHarness session = SessionHarness.start(NO_CATALOG)) {
            session.send(new ClientMessages().query("SELECT app.sneaky()")); // a function ran SET TimeZone
            String replica = replicaUsed(session);
            session.server(replica).received();

            session.reply(replica, new ServerMessages().parameter("TimeZone", "Antarctica/Troll").rows("sneaky", "x")
                    .ready('I'));

            assertThat(session.server(replica).received()).containsExactly("Query RESET ALL", "Query DISCARD ALL");
            assertThat(session.connections.givenBack()).as("not before the reset is done").isEmpty();
            session.reply(replica, new ServerMessages().complete("RESET").ready('I').complete("DISCARD ALL").ready('I'));
            assertThat(session.connections.givenBack()).containsExactly(replica + " clean");
            assertThat(session.received()).as("the reset is invisible").containsExactly("ParameterStatus TimeZone=Antarctica/Troll",
                    "RowDescription sneaky:25:0", "DataRow x", "CommandComplete SELECT 1", "ReadyForQuery I");
        }
    }

    @Test
    void aResetThatFailsClosesTheConnectionInsteadOfLendingItAgain() {
        try (SessionHarness session = SessionHarness.start(NO_CATALOG)) {
            session.send(new ClientMessages().query("SELECT app.sneaky()"));
            String replica = replicaUsed(session);
            session.reply(replica, new ServerMessages().parameter("TimeZone", "UTC").rows("sneaky", "x").ready('I'));

            session.reply(replica, new ServerMessages().complete("RESET").ready('I').error("XX000", "the reset failed").ready('I'));

            assertThat(session.connections.givenBack()).containsExactly(replica + " closed");
        }
    }

    @Test
    void aParameterTheClientItselfChangedNeedsNoReset() {
        try (SessionHarness session = SessionHarness.start("pool_mode: transaction\n" + EVENTUAL)) {
            session.send(new ClientMessages().query("SET TimeZone = 'UTC'"));
            session.server("pg1").received();

            session.reply("pg1", new ServerMessages().parameter("TimeZone", "UTC").complete("SET").ready('I'));

            assertThat(session.server("pg1").received()).isEmpty();
            assertThat(session.connections.givenBack()).containsExactly("pg1 clean");
        }
    }

    @Test
    void theNextClientOfAResetConnectionGetsItsOwnSettingsAppliedAgain() {
        try (SessionHarness session = SessionHarness.start("pool_mode: transaction\n" + EVENTUAL)) {
            session.send(new ClientMessages().query("SET work_mem = '8MB'"));
            session.reply("pg1", new ServerMessages().complete("SET").ready('I'));
            session.send(new ClientMessages().query("INSERT INTO t SELECT app.sneaky()"));
            session.reply("pg1", new ServerMessages().parameter("search_path", "evil").complete("INSERT 0 1").ready('I'));
            session.reply("pg1", new ServerMessages().complete("RESET").ready('I').complete("DISCARD ALL").ready('I'));
            session.server("pg1").received();

            session.send(new ClientMessages().query("INSERT INTO t VALUES (1)"));

            assertThat(session.server("pg1").received()).as("the settings DISCARD ALL dropped are set again first")
                    .containsExactly("Query SET work_mem TO '8MB'", "Query INSERT INTO t VALUES (1)");
        }
    }

    @Test
    void aUserFunctionRunOnAPooledReplicaConnectionIsResetEvenWithoutAParameterStatus() {
        try (SessionHarness session = SessionHarness.start(NO_CATALOG)) {
            session.send(new ClientMessages().query("SELECT app.sets_work_mem()")); // work_mem is not GUC_REPORT
            String replica = replicaUsed(session);
            session.server(replica).received();

            session.reply(replica, new ServerMessages().rows("sets_work_mem", "x").ready('I'));

            assertThat(session.server(replica).received()).containsExactly("Query RESET ALL", "Query DISCARD ALL");
            session.reply(replica, new ServerMessages().complete("RESET").ready('I').complete("DISCARD ALL").ready('I'));
            assertThat(session.connections.givenBack()).containsExactly(replica + " clean");
        }
    }

    @Test
    void builtInsOnTheAllowListNeedNoReset() {
        try (SessionHarness session = SessionHarness.start(NO_CATALOG)) {
            session.send(new ClientMessages().query("SELECT count(*), lower(name) FROM t GROUP BY 2"));
            String replica = replicaUsed(session);
            session.server(replica).received();

            session.reply(replica, new ServerMessages().rows("count", "1").ready('I'));

            assertThat(session.server(replica).received()).isEmpty();
            assertThat(session.connections.givenBack()).containsExactly(replica + " clean");
        }
    }

    @Test
    void aPlainWriteOnAPooledPrimaryNeedsNoResetButADoBlockDoes() {
        try (SessionHarness session = SessionHarness.start("pool_mode: transaction\n" + EVENTUAL)) {
            session.send(new ClientMessages().query("INSERT INTO t (a, b) VALUES (1, now()) ON CONFLICT (a) DO NOTHING"));
            session.reply("pg1", new ServerMessages().complete("INSERT 0 1").ready('I'));
            assertThat(session.connections.givenBack()).containsExactly("pg1 clean");
            session.server("pg1").received();

            session.send(new ClientMessages().query("DO $$ BEGIN PERFORM app.anything(); END $$"));
            session.server("pg1").received();
            session.reply("pg1", new ServerMessages().complete("DO").ready('I'));

            assertThat(session.server("pg1").received()).containsExactly("Query RESET ALL", "Query DISCARD ALL");
        }
    }

    @Test
    void aSessionThatLeavesWhilePinnedHandsItsPooledPrimaryBackResetNotAsItIs() {
        try (SessionHarness session = SessionHarness.start("pool_mode: transaction\n" + EVENTUAL)) {
            session.send(new ClientMessages().query("CREATE TEMP TABLE scratch (a int)"));
            session.reply("pg1", new ServerMessages().complete("CREATE TABLE").ready('I'));
            session.server("pg1").received();
            assertThat(session.connections.givenBack()).as("kept for the temporary table").isEmpty();

            session.send(new ClientMessages().terminate());

            assertThat(session.server("pg1").received()).containsExactly("Query RESET ALL", "Query DISCARD ALL");
            session.reply("pg1", new ServerMessages().complete("RESET").ready('I').complete("DISCARD ALL").ready('I'));
            assertThat(session.connections.givenBack()).containsExactly("pg1 clean");
            assertThat(session.context.metrics().scrape())
                    .contains("pgsplit_connection_resets_total{reason=\"pinned_session\"} 1.0");
        }
    }

    @Test
    void aClientThatLeavesDuringTheResetStillGetsItsConnectionBackToThePool() {
        try (SessionHarness session = SessionHarness.start(NO_CATALOG)) {
            session.send(new ClientMessages().query("SELECT app.takes_a_lock()"));
            String replica = replicaUsed(session);
            session.reply(replica, new ServerMessages().rows("takes_a_lock", "t").ready('I'));

            session.send(new ClientMessages().terminate());
            assertThat(session.connections.givenBack()).isEmpty();
            session.reply(replica, new ServerMessages().complete("RESET").ready('I').complete("DISCARD ALL").ready('I'));

            assertThat(session.connections.givenBack()).containsExactly(replica + " clean");
        }
    }

    @Test
    void anAdvisoryLockOfAPinnedSessionIsResetAwayWhenTheClientLeaves() {
        try (SessionHarness session = SessionHarness.start("pool_mode: transaction\n" + EVENTUAL)) {
            session.send(new ClientMessages().parse("", "SELECT pg_advisory_lock(1618)").bind("", "").execute().sync());
            session.reply("pg1", new ServerMessages().parseComplete().bindComplete().rows("pg_advisory_lock", "").ready('I'));
            session.server("pg1").received();

            session.send(new ClientMessages().terminate());

            assertThat(session.server("pg1").received()).containsExactly("Query RESET ALL", "Query DISCARD ALL");
            assertThat(session.context.metrics().scrape())
                    .contains("pgsplit_connection_resets_total{reason=\"session_function\"} 1.0");
        }
    }

    @Test
    void theAnswersToAResetStillArriveAfterTheClientLeftInReadsOfTheirOwn() {
        try (SessionHarness session = SessionHarness.start(NO_CATALOG)) {
            session.send(new ClientMessages().query("SELECT app.takes_a_lock()"));
            String replica = replicaUsed(session);
            session.reply(replica, new ServerMessages().rows("takes_a_lock", "t").ready('I'));
            session.send(new ClientMessages().terminate());

            session.reply(replica, new ServerMessages().complete("RESET").ready('I'));
            session.reply(replica, new ServerMessages().complete("DISCARD ALL").ready('I'));

            assertThat(session.connections.givenBack()).containsExactly(replica + " clean");
        }
    }
}
