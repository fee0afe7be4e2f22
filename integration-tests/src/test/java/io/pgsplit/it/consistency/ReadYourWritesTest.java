package io.pgsplit.it.consistency;

import static io.pgsplit.it.Sql.execute;
import static io.pgsplit.it.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsplit.it.Psql;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Read-your-writes, the default: a session's reads after its commit see it, however it wrote (SQL transactions,
 * pgjdbc, psql, COPY); {@code max_wait} lets them wait for a replica; a causal token carries the guarantee to
 * another session, through another pgsplit.
 */
@Timeout(120)
class ReadYourWritesTest {
  /**
   * Long enough that a read issued right after the commit certainly finds no replica that replayed it, so a
   * control read without the token reliably shows the replicas are behind.
   */
  private static final Duration TOKEN_TEST_DELAY = Duration.ofSeconds(3);

  private static ConsistencyCluster cluster;
  /** Configured with no {@code consistency} section at all: read-your-writes is the default. */
  private static ConsistencyProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    cluster = ConsistencyCluster.start(ReadYourWritesTest.class);
    proxy = ConsistencyProxy.in(cluster).start();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void replayWithoutDelay() throws SQLException {
    cluster.replayWithoutDelay();
  }

  /** One way of writing a row inside a transaction, on the connection that then reads it back. */
  private record TransactionStyle(String name, Connection connection, RowWrite write) {}

  @FunctionalInterface
  private interface RowWrite {
    void insideATransaction(Connection connection, long id) throws SQLException;
  }

  /**
   * The rounds take turns among the ways clients write a transaction: BEGIN and COMMIT as statements of their own,
   * pgjdbc's autocommit off and commit(), and the whole transaction in one string, which pgjdbc sends as one
   * extended-protocol group or, in simple mode, as one Query message.
   */
  @Test
  void readsAfterAWriteInATransactionWaitForTheCommit() throws Exception {
    cluster.delayReplay(ConsistencyCluster.SLOWED);
    Map<String, List<Long>> missed = new LinkedHashMap<>();
    try (Connection extended = proxy.connect(); Connection simple = proxy.connect("preferQueryMode=simple")) {
      List<TransactionStyle> styles = List.of(
          new TransactionStyle("BEGIN, INSERT, COMMIT one by one", extended, (connection, id) -> {
            execute(connection, "BEGIN");
            execute(connection, insert(id));
            execute(connection, "COMMIT");
          }),
          new TransactionStyle("pgjdbc autocommit off, commit()", extended, (connection, id) -> {
            connection.setAutoCommit(false);
            execute(connection, insert(id));
            connection.commit();
            connection.setAutoCommit(true);
          }),
          new TransactionStyle("BEGIN; INSERT; COMMIT in one extended-protocol group", extended,
              (connection, id) -> execute(connection, "BEGIN; " + insert(id) + "; COMMIT")),
          new TransactionStyle("BEGIN; INSERT; COMMIT in one simple Query", simple,
              (connection, id) -> execute(connection, "BEGIN; " + insert(id) + "; COMMIT")));
      for (int round = 0; round < 500; round++) {
        TransactionStyle style = styles.get(round % styles.size());
        long id = cluster.nextCheckId();
        style.write().insideATransaction(style.connection(), id);
        if (!scalar(style.connection(), "SELECT EXISTS (SELECT 1 FROM checks WHERE id = " + id + ")").equals("t")) {
          missed.computeIfAbsent(style.name(), name -> new ArrayList<>()).add(id);
        }
      }
    }
    assertThat(missed).as("rows missing from the read right after their transaction committed, by style").isEmpty();
  }

  private static String insert(long id) {
    return "INSERT INTO checks (id, writer) VALUES (" + id + ", 2)";
  }

  /** COPY … FROM STDIN commits when the client's CopyDone is answered, not when the COPY statement is sent. */
  @Test
  void rowsCopiedInAreFoundByTheNextRead() throws Exception {
    cluster.delayReplay(ConsistencyCluster.SLOWED);
    List<String> missed = new ArrayList<>();
    try (Connection connection = proxy.connect(); CheckRows rows = new CheckRows(connection)) {
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      for (int round = 0; round < 20; round++) {
        long id = cluster.nextCheckId();
        long copied = copy.copyIn("COPY checks (id, writer) FROM STDIN", new StringReader(id + "\t3\n"));
        assertThat(copied).as("rows copied in round %d", round).isEqualTo(1);
        CheckRows.ReadBack read = rows.readBack(id);
        if (!read.found()) {
          missed.add(id + " on " + cluster.nodeListeningOn(read.port()).name());
        }
      }
    }
    assertThat(missed).as("rows missing from the read right after their COPY").isEmpty();
  }

  @Test
  void maxWaitLetsReadsWaitForAReplicaInsteadOfThePrimary() throws Exception {
    try (ConsistencyProxy waiting = ConsistencyProxy.in(cluster)
        .consistency("{mode: read-your-writes, max_wait: 200ms}").start()) {
      WriteThenReadResult result = WriteThenReadChecker.of(cluster, waiting, 4, 2_000).run();
      double waitsForReplica = waiting.metricTotal("pgsplit_fence_wait_seconds_count", "outcome", "replica");
      double waitsGivenUp = waiting.metricTotal("pgsplit_fence_wait_seconds_count", "outcome", "primary");
      ConsistencyReport.record(result.summary("mode=read-your-writes max_wait=200ms slowed=false")
          + " fenceWaits{replica}=" + (long) waitsForReplica + " fenceWaits{primary}=" + (long) waitsGivenUp
          + " readsToPrimaryByFence=" + (long) waiting.metricTotal("pgsplit_statements_total", "reason", "fence"));

      assertThat(result.missing()).as("rows missing right after their own commit, e.g. %s", result.missedReads())
          .isZero();
      assertThat(result.replicaShare()).as("share of the reads that replicas served").isGreaterThan(0.5);
      assertThat(waitsForReplica).as("reads that waited for a replica and got one").isPositive();
      assertThat(waitsForReplica + waitsGivenUp).as("fence waits counted, at most one per read")
          .isLessThanOrEqualTo(result.pairs());
    }
  }

  @Test
  void causalTokenFromOneSessionFencesAnother() throws Exception {
    cluster.delayReplay(TOKEN_TEST_DELAY);
    try (ConsistencyProxy secondProxy = ConsistencyProxy.in(cluster).start();
        Connection writer = proxy.connect();
        Connection withoutToken = secondProxy.connect();
        Connection withToken = secondProxy.connect();
        CheckRows writerRows = new CheckRows(writer);
        CheckRows rowsWithoutToken = new CheckRows(withoutToken);
        CheckRows rowsWithToken = new CheckRows(withToken)) {
      long id = cluster.nextCheckId();
      writerRows.insert(id, 5);
      String token = scalar(writer, "SHOW pgsplit.last_lsn");
      assertThat(token).as("SHOW pgsplit.last_lsn after a commit").matches("[0-9A-F]+/[0-9A-F]+").isNotEqualTo("0/0");

      CheckRows.ReadBack control = rowsWithoutToken.readBack(id);
      assertThat(control.found())
          .as("control: a session without the token, served by %s, should not see the row before replay",
              cluster.nodeListeningOn(control.port()).name())
          .isFalse();

      execute(withToken, "SET pgsplit.min_lsn = '" + token + "'");
      CheckRows.ReadBack fenced = rowsWithToken.readBack(id);
      assertThat(fenced.found()).as("the row, read through another pgsplit with the writer's token").isTrue();
      assertThat(cluster.isPrimaryPort(fenced.port())).as("served by the primary while replicas lag").isTrue();

      cluster.awaitReplicasReplayed(token, TOKEN_TEST_DELAY.multipliedBy(5));
      await("reads with the token back on replicas once they replayed it").atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> {
            CheckRows.ReadBack later = rowsWithToken.readBack(id);
            assertThat(later.found()).as("the row after replay").isTrue();
            assertThat(cluster.isPrimaryPort(later.port())).as("served by the primary").isFalse();
          });
    }
  }

  /** Rounds take turns: the INSERT alone, inside a transaction, after a SET; each write is one {@code -c}. */
  @Test
  void psqlFindsItsOwnInsertWhileReplicasLag() throws Exception {
    cluster.delayReplay(ConsistencyCluster.SLOWED);
    Psql psql = new Psql(proxy.address(), cluster.appUser(), cluster.appPassword()).quiet();
    Map<String, String> answers = new LinkedHashMap<>();
    for (int round = 0; round < 30; round++) {
      long id = cluster.nextCheckId();
      String write = switch (round % 3) {
        case 0 -> insert(id);
        case 1 -> "BEGIN; " + insert(id) + "; COMMIT";
        default -> "SET application_name = 'consistency-it'; " + insert(id);
      };
      answers.put(write, psql.commands(write,
          "SELECT EXISTS (SELECT 1 FROM checks WHERE id = " + id + "), inet_server_port()").requireSuccess().stdout().strip());
    }
    assertThat(answers).as("psql's read right after the -c that wrote: found|port")
        .allSatisfy((write, answer) -> assertThat(answer).as(write).startsWith("t|"));
  }
}
