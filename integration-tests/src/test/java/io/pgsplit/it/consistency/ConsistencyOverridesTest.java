package io.pgsplit.it.consistency;

import static io.pgsplit.it.Sql.execute;
import static io.pgsplit.it.Sql.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Psql;
import io.pgsplit.it.StatementStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Consistency chosen per user ({@code users: [{…, consistency: eventual}]}) and per session
 * ({@code SET pgsplit.consistency}), with replicas {@link ConsistencyCluster#SLOWED} behind so that the fence, where
 * it applies, visibly sends reads to the primary. The pgsplit settings are pgsplit's own: servers never see them.
 */
@Timeout(120)
class ConsistencyOverridesTest {
  private static final int ROUNDS = 20;

  private static ConsistencyCluster cluster;
  private static ConsistencyProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    cluster = ConsistencyCluster.start(ConsistencyOverridesTest.class);
    proxy = ConsistencyProxy.in(cluster).eventualUser().start();
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

  @Test
  void perSessionEventualSkipsTheFence() throws Exception {
    cluster.delayReplay(ConsistencyCluster.SLOWED);
    try (Connection connection = proxy.connect(); CheckRows rows = new CheckRows(connection)) {
      assertThat(scalar(connection, "SHOW pgsplit.consistency")).isEqualTo("read-your-writes");

      execute(connection, "SET pgsplit.consistency = 'eventual'");
      assertThat(scalar(connection, "SHOW pgsplit.consistency")).isEqualTo("eventual");
      List<CheckRows.ReadBack> eventualReads = writeThenRead(rows);
      report("per-session eventual", eventualReads);
      assertThat(eventualReads).as("reads right after writes, session set to eventual")
          .allMatch(read -> !cluster.isPrimaryPort(read.port()));

      execute(connection, "SET pgsplit.consistency = 'read-your-writes'");
      assertThat(scalar(connection, "SHOW pgsplit.consistency")).isEqualTo("read-your-writes");
      assertThat(writeThenRead(rows)).as("reads right after writes, session set back to read-your-writes")
          .allMatch(CheckRows.ReadBack::found);
    }
  }

  /** Switching to read-your-writes covers the writes the session made before, while it was eventual. */
  @Test
  void switchingToReadYourWritesFencesTheWritesMadeWhileEventual() throws Exception {
    cluster.delayReplay(ConsistencyCluster.SLOWED);
    try (Connection connection = proxy.connect(); CheckRows rows = new CheckRows(connection)) {
      for (int round = 0; round < ROUNDS / 4; round++) {
        execute(connection, "SET pgsplit.consistency = 'eventual'");
        long id = cluster.nextCheckId();
        rows.insert(id, 4);
        execute(connection, "SET pgsplit.consistency = 'read-your-writes'");
        assertThat(rows.readBack(id).found()).as("round %d: the row written while eventual, read after the switch", round)
            .isTrue();
      }
    }
  }

  @Test
  void perUserConsistencyApplies() throws Exception {
    cluster.delayReplay(ConsistencyCluster.SLOWED);
    try (Connection eventualUser = proxy.connectAsEventualUser(); CheckRows eventualRows = new CheckRows(eventualUser);
        Connection defaultUser = proxy.connect(); CheckRows defaultRows = new CheckRows(defaultUser)) {
      assertThat(scalar(eventualUser, "SHOW pgsplit.consistency")).isEqualTo("eventual");
      assertThat(scalar(defaultUser, "SHOW pgsplit.consistency")).isEqualTo("read-your-writes");

      List<CheckRows.ReadBack> eventualReads = writeThenRead(eventualRows);
      report("per-user eventual", eventualReads);
      assertThat(eventualReads).as("reads right after writes of the user configured eventual")
          .allMatch(read -> !cluster.isPrimaryPort(read.port()));
      assertThat(writeThenRead(defaultRows)).as("reads right after writes of a user with the default")
          .allMatch(CheckRows.ReadBack::found);

      execute(eventualUser, "SET pgsplit.consistency = 'read-your-writes'");
      assertThat(writeThenRead(eventualRows)).as("reads right after writes once the session chose read-your-writes")
          .allMatch(CheckRows.ReadBack::found);
      execute(eventualUser, "RESET pgsplit.consistency");
      assertThat(scalar(eventualUser, "SHOW pgsplit.consistency")).as("after RESET: the user's own setting")
          .isEqualTo("eventual");
    }
  }

  /** pgjdbc's extended protocol, its simple protocol and psql each send the commands their own way. */
  @Test
  void pgsplitSettingsAreAnsweredByPgsplitAndNeverReachAServer() throws Exception {
    for (PgNode node : cluster.nodes()) {
      StatementStats.resetOn(node);
    }
    try (Connection extended = proxy.connect(); Connection simple = proxy.connect("preferQueryMode=simple")) {
      useEveryPgsplitSetting(extended);
      useEveryPgsplitSetting(simple);
    }
    Psql psql = new Psql(proxy.address(), cluster.appUser(), cluster.appPassword()).quiet();
    assertThat(psql.commands("SET pgsplit.consistency = 'eventual'", "SHOW pgsplit.consistency",
        "SET pgsplit.min_lsn = '0/1'", "SHOW pgsplit.last_lsn").requireSuccess().stdout().lines().toList())
        .as("psql: SHOW pgsplit.consistency, then SHOW pgsplit.last_lsn").hasSize(2).first().isEqualTo("eventual");

    for (PgNode node : cluster.nodes()) {
      assertThat(StatementStats.matching(node, "%pgsplit.%")).as("statements naming pgsplit. that %s ran", node)
          .isEmpty();
    }
  }

  /**
   * With prepareThreshold=1 pgjdbc names each statement on its first run and later only binds and executes that
   * name, so pgsplit meets its commands as Bind messages for statements that no server has ever seen.
   */
  @Test
  void pgsplitSettingsWorkAsServerPreparedStatements() throws Exception {
    for (PgNode node : cluster.nodes()) {
      StatementStats.resetOn(node);
    }
    try (Connection connection = proxy.connect("prepareThreshold=1");
        PreparedStatement toEventual = connection.prepareStatement("SET pgsplit.consistency = 'eventual'");
        PreparedStatement toReadYourWrites = connection.prepareStatement("SET pgsplit.consistency = 'read-your-writes'");
        PreparedStatement show = connection.prepareStatement("SHOW pgsplit.consistency");
        CheckRows rows = new CheckRows(connection)) {
      for (int round = 0; round < 10; round++) {
        toEventual.execute();
        assertThat(value(show)).as("SHOW after SET eventual, round %d", round).isEqualTo("eventual");
        toReadYourWrites.execute();
        assertThat(value(show)).as("SHOW after SET read-your-writes, round %d", round).isEqualTo("read-your-writes");
        long id = cluster.nextCheckId();
        rows.insert(id, 4);
        assertThat(rows.readBack(id).found()).as("the row written in round %d", round).isTrue();
      }
    }
    for (PgNode node : cluster.nodes()) {
      assertThat(StatementStats.matching(node, "%pgsplit.%")).as("statements naming pgsplit. that %s ran", node)
          .isEmpty();
    }
  }

  @Test
  void malformedPgsplitSettingsAreRefusedAndChangeNothing() throws Exception {
    try (Connection connection = proxy.connect()) {
      SQLException unknownMode = refusal(connection, "SET pgsplit.consistency = 'strong'");
      assertThat(scalar(connection, "SHOW pgsplit.consistency")).isEqualTo("read-your-writes");

      SQLException badToken = refusal(connection, "SET pgsplit.min_lsn = 'not a position'");
      assertThat(scalar(connection, "SELECT 1")).as("the session after the refusals").isEqualTo("1");
      ConsistencyReport.record("CONSISTENCY refusals: strong -> " + unknownMode.getSQLState() + " "
          + unknownMode.getMessage() + "; bad token -> " + badToken.getSQLState() + " " + badToken.getMessage());
    }
  }

  private static String value(PreparedStatement show) throws SQLException {
    try (ResultSet row = show.executeQuery()) {
      assertThat(row.next()).as("a row from SHOW").isTrue();
      return row.getString(1);
    }
  }

  private static SQLException refusal(Connection connection, String sql) {
    try {
      execute(connection, sql);
    } catch (SQLException e) {
      return e;
    }
    throw new AssertionError("pgsplit accepted: " + sql);
  }

  private static void useEveryPgsplitSetting(Connection connection) throws SQLException {
    execute(connection, "SET pgsplit.consistency = 'eventual'");
    assertThat(scalar(connection, "SHOW pgsplit.consistency")).isEqualTo("eventual");
    execute(connection, "SET pgsplit.consistency = 'read-your-writes'");
    assertThat(scalar(connection, "SHOW pgsplit.consistency")).isEqualTo("read-your-writes");
    try (CheckRows rows = new CheckRows(connection)) {
      rows.insert(cluster.nextCheckId(), 4);
    }
    String token = scalar(connection, "SHOW pgsplit.last_lsn");
    execute(connection, "SET pgsplit.min_lsn = '" + token + "'");
  }

  /** {@value #ROUNDS} rows, each read back by the statement right after its INSERT. */
  private static List<CheckRows.ReadBack> writeThenRead(CheckRows rows) throws SQLException {
    List<CheckRows.ReadBack> reads = new ArrayList<>(ROUNDS);
    for (int round = 0; round < ROUNDS; round++) {
      long id = cluster.nextCheckId();
      rows.insert(id, 4);
      reads.add(rows.readBack(id));
    }
    return reads;
  }

  private static void report(String what, List<CheckRows.ReadBack> reads) {
    long stale = reads.stream().filter(read -> !read.found()).count();
    ConsistencyReport.record("CONSISTENCY " + what + " slowed=true reads=" + reads.size() + " stale=" + stale);
  }
}
