package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Protocol-level prepared statements in transaction mode, on one shared primary connection: the server holds them
 * under pgsplit's names ({@code pgsplit_s<N>}, one per content), so clients that all call their statements S_1
 * never meet, and an LRU keeps the server at {@code pool.max_prepared_statements_per_connection}. The clients of a
 * test share an event loop, so the one pooled primary connection is never moved to another loop (and reopened).
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(180)
class PreparedStatementRenamingTest {
  private static final int LIMIT = 20;
  private static final String ON_PRIMARY = "/* pgsplit:primary */ ";

  private static SessionCluster cluster;
  private static TestProxy proxy;

  @BeforeAll
  static void setUp(SessionCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary("DROP TABLE IF EXISTS renamed_rows",
        "CREATE TABLE renamed_rows (id bigserial PRIMARY KEY, client text NOT NULL)");
    proxy = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(1).acquireTimeout("20s")
        .maxPreparedStatementsPerConnection(LIMIT).start();
  }

  @AfterAll
  static void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
  }

  /** pgjdbc names each connection's statements S_1, S_2, …: both clients' S_1 meet on the one primary connection. */
  @ParameterizedTest(name = "prepareThreshold={0}")
  @ValueSource(ints = {5, 1})
  void twoClientsUsingTheSameNameForDifferentSqlNeverSeeEachOthersStatement(int threshold) throws SQLException {
    String mine = "INSERT INTO renamed_rows (client) VALUES ('a" + threshold + "') RETURNING client, ?::int";
    String theirs = "INSERT INTO renamed_rows (client) VALUES ('b" + threshold + "') RETURNING client, ?::int";
    try (Connection first = proxy.connect("prepareThreshold=" + threshold);
        Connection second = proxy.connectOnSameEventLoopAs(first, "prepareThreshold=" + threshold);
        PreparedStatement a = first.prepareStatement(mine);
        PreparedStatement b = second.prepareStatement(theirs)) {
      for (int i = 0; i < 12; i++) {
        assertThat(run(a, i)).as("round %d", i).isEqualTo("a" + threshold + "/" + i);
        assertThat(run(b, i)).as("round %d", i).isEqualTo("b" + threshold + "/" + i);
      }
      Map<String, String> held = preparedOnThePrimaryConnection(first);
      assertThat(held).as("server names on the shared connection").allSatisfy(
          (name, sql) -> assertThat(name).startsWith("pgsplit_s"));
      assertThat(held.values()).as("each statement prepared once").containsOnlyOnce(mine.replace("?", "$1"),
          theirs.replace("?", "$1"));
    }
  }

  @Test
  void aClientFloodingUniqueStatementsKeepsTheServerConnectionAtTheLimit() throws SQLException {
    try (Connection flooder = proxy.connect("prepareThreshold=1");
        Connection other = proxy.connectOnSameEventLoopAs(flooder, "prepareThreshold=1");
        PreparedStatement kept = other.prepareStatement(ON_PRIMARY + "SELECT 'kept', ?::int")) {
      List<Integer> sizes = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        try (PreparedStatement unique = flooder.prepareStatement(ON_PRIMARY + "SELECT " + i + ", ?::int")) {
          unique.setInt(1, i);
          try (ResultSet row = unique.executeQuery()) {
            assertThat(row.next()).isTrue();
            assertThat(row.getInt(1)).isEqualTo(i);
          }
        }
        if (i % 50 == 0) {
          assertThat(run(kept, i)).as("another client's statement, evicted or not").isEqualTo("kept/" + i);
          sizes.add(preparedOnThePrimaryConnection(other).size());
        }
      }
      sizes.add(preparedOnThePrimaryConnection(flooder).size());
      assertThat(sizes).as("statements on the primary connection").allSatisfy(
          size -> assertThat(size).isLessThanOrEqualTo(LIMIT)).last().isEqualTo(LIMIT);
    }
  }

  @Test
  void sqlPrepareAndExecuteStillWorkBesideRenamedStatements() throws SQLException {
    try (Connection first = proxy.connect("prepareThreshold=1");
        Connection second = proxy.connectOnSameEventLoopAs(first);
        Statement a = first.createStatement(); Statement b = second.createStatement()) {
      a.execute("PREPARE own_q (text) AS INSERT INTO renamed_rows (client) VALUES ($1) RETURNING client");
      b.execute("PREPARE own_q (text) AS INSERT INTO renamed_rows (client) VALUES ($1 || '-b') RETURNING client");
      for (int i = 0; i < 4; i++) {
        assertThat(single(a, "EXECUTE own_q ('sql')")).isEqualTo("sql");
        assertThat(single(b, "EXECUTE own_q ('sql')")).isEqualTo("sql-b");
      }
      a.execute("DEALLOCATE own_q");
      b.execute("DEALLOCATE ALL");
    }
  }

  /**
   * A client that binds a name it never parsed gets PostgreSQL's 26000, even when another client's statement of
   * that name is on the very connection; a Parse of content the connection holds is answered by pgsplit, and its
   * ParseComplete comes before the error of the next message, as PostgreSQL orders them.
   */
  @Test
  void aClientNeverReachesAnotherClientsStatementAndRepliesKeepTheirOrder() throws Exception {
    try (TestProxy plain = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(1).authType("plain")
        .start(); RawClient owner = RawClient.login(plain.address(), cluster.appUser(), cluster.appPassword())) {
      RawClient other = sameLoopAs(plain, owner);
      try (other) {
        String secret = ON_PRIMARY + "SELECT 'secret'";
        owner.send(RawClient.parse("q", secret), RawClient.bind("q"), RawClient.execute(), RawClient.sync());
        assertThat(types(owner.untilReadyForQuery())).isEqualTo("12DCZ");

        other.send(RawClient.bind("q"), RawClient.execute(), RawClient.sync());
        List<RawClient.Message> stranger = other.untilReadyForQuery();
        assertThat(types(stranger)).isEqualTo("EZ");
        assertThat(stranger.get(0).field('C')).isEqualTo("26000");

        other.send(RawClient.parse("mine", secret), RawClient.parse("bad", ON_PRIMARY + "SELEC 1"), RawClient.sync());
        List<RawClient.Message> ordered = other.untilReadyForQuery();
        assertThat(types(ordered)).as("ParseComplete (answered by pgsplit), then the error").isEqualTo("1EZ");
        assertThat(ordered.get(1).field('C')).isEqualTo("42601");

        other.send(RawClient.bind("mine"), RawClient.execute(), RawClient.sync());
        List<RawClient.Message> own = other.untilReadyForQuery();
        assertThat(types(own)).isEqualTo("2DCZ");
        assertThat(own.get(1).firstColumn()).isEqualTo("secret");
        other.send(RawClient.query(ON_PRIMARY + "SELECT count(*) FROM pg_prepared_statements WHERE statement = '"
            + secret.replace("'", "''") + "'"));
        assertThat(other.untilReadyForQuery()).filteredOn(message -> message.type() == 'D').singleElement()
            .extracting(RawClient.Message::firstColumn).as("one server statement for both clients' names").isEqualTo("1");
      }
    }
  }

  /** The unnamed statement is not renamed, but it still follows its client to whichever connection serves it. */
  @Test
  void anUnnamedStatementParsedInAnEarlierGroupIsTheClientsOwnOnASharedConnection() throws Exception {
    try (TestProxy plain = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(1).authType("plain")
        .start(); RawClient first = RawClient.login(plain.address(), cluster.appUser(), cluster.appPassword())) {
      RawClient second = sameLoopAs(plain, first);
      try (second) {
        first.send(RawClient.parse("", ON_PRIMARY + "SELECT 'first'"), RawClient.sync());
        assertThat(types(first.untilReadyForQuery())).isEqualTo("1Z");
        second.send(RawClient.parse("", ON_PRIMARY + "SELECT 'second'"), RawClient.sync());
        assertThat(types(second.untilReadyForQuery())).isEqualTo("1Z");

        first.send(RawClient.bind(""), RawClient.execute(), RawClient.sync());
        List<RawClient.Message> answer = first.untilReadyForQuery();
        assertThat(types(answer)).as("the prelude's ParseComplete is hidden").isEqualTo("2DCZ");
        assertThat(answer.get(1).firstColumn()).isEqualTo("first");
      }
    }
  }

  /** A second raw client on the first one's event loop, so both are lent the one primary connection. */
  private static RawClient sameLoopAs(TestProxy plain, RawClient first) throws Exception {
    for (int attempt = 0; attempt < 64; attempt++) {
      RawClient candidate = RawClient.login(plain.address(), cluster.appUser(), cluster.appPassword());
      if (plain.sessionOf(candidate.processId()).eventLoop() == plain.sessionOf(first.processId()).eventLoop()) {
        return candidate;
      }
      candidate.close();
    }
    throw new AssertionError("no client landed on the first one's event loop");
  }

  private static String types(List<RawClient.Message> messages) {
    StringBuilder types = new StringBuilder();
    messages.stream().filter(message -> message.type() != 'N' && message.type() != 'S')
        .forEach(message -> types.append(message.type()));
    return types.toString();
  }

  private static String run(PreparedStatement statement, int value) throws SQLException {
    statement.setInt(1, value);
    try (ResultSet row = statement.executeQuery()) {
      assertThat(row.next()).isTrue();
      return row.getString(1) + "/" + row.getInt(2);
    }
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet row = statement.executeQuery(sql)) {
      assertThat(row.next()).isTrue();
      return row.getString(1);
    }
  }

  /** What pg_prepared_statements shows on the one pooled primary connection, asked through the proxy. */
  private static Map<String, String> preparedOnThePrimaryConnection(Connection client) throws SQLException {
    Map<String, String> held = new TreeMap<>();
    try (Statement statement = client.createStatement();
        ResultSet rows = statement.executeQuery(ON_PRIMARY
            + "SELECT name, statement FROM pg_prepared_statements WHERE NOT from_sql")) {
      while (rows.next()) {
        held.put(rows.getString(1), rows.getString(2));
      }
    }
    return held;
  }
}
