package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code pool_mode: transaction} on real servers: many clients on a few primary connections, each connection lent
 * for one transaction (or one statement outside one), never carrying one client's state to the next.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(180)
class TransactionPoolingTest {
  private static final int PRIMARY_CONNECTIONS = 3;
  private static SessionCluster cluster;
  private static TestProxy proxy;

  @BeforeAll
  static void setUp(SessionCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary("DROP TABLE IF EXISTS pooled_ledger",
        "CREATE TABLE pooled_ledger (id bigserial PRIMARY KEY, client int NOT NULL, n int NOT NULL)");
    proxy = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(PRIMARY_CONNECTIONS)
        .acquireTimeout("20s").start();
  }

  @AfterAll
  static void tearDown() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void fortyWritingClientsShareThreePrimaryConnectionsAndLoseNothing() throws Exception {
    int clients = 40;
    int autocommitWrites = 20;
    int transactions = 5;
    try (PrimaryBackends backends = PrimaryBackends.sampleOnlyOf(cluster, cluster.primary(), proxy)) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
          int id = client;
          done.add(pool.submit(() -> writeAsOneClient(id, autocommitWrites, transactions)));
        }
        for (Future<?> client : done) {
          client.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(backends.highest()).as("primary backends of the app database at any moment")
          .isLessThanOrEqualTo(PRIMARY_CONNECTIONS);
    }
    try (Connection direct = cluster.connectDirectly(cluster.primary()); Statement statement = direct.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM pooled_ledger WHERE client < 1000")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo((long) clients * (autocommitWrites + 2L * transactions));
    }
  }

  private static Void writeAsOneClient(int client, int autocommitWrites, int transactions) throws SQLException {
    try (Connection connection = proxy.connect();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO pooled_ledger (client, n) VALUES (?, ?)")) {
      for (int n = 0; n < autocommitWrites; n++) {
        insert.setInt(1, client);
        insert.setInt(2, n);
        insert.executeUpdate();
      }
      connection.setAutoCommit(false);
      for (int t = 0; t < transactions; t++) {
        for (int n = 0; n < 2; n++) {
          insert.setInt(1, client);
          insert.setInt(2, 1000 + t * 2 + n);
          insert.executeUpdate();
        }
        connection.commit();
      }
    }
    return null;
  }

  @Test
  void aSettingOneClientMadeIsNotCarriedToTheNextClientOfItsConnection() throws SQLException {
    try (TestProxy single = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(1).start();
        Connection first = single.connect(); Connection second = single.connect();
        Statement a = first.createStatement(); Statement b = second.createStatement()) {
      a.execute("SET work_mem = '55MB'");
      a.execute("SET search_path = pg_catalog, public");

      assertThat(onPrimary(b, "current_setting('work_mem')")).isEqualTo("4MB");
      assertThat(onPrimary(b, "current_setting('search_path')")).isEqualTo("\"$user\", public");
      assertThat(onPrimary(a, "current_setting('work_mem')")).as("the first client's own setting follows it")
          .isEqualTo("55MB");
      assertThat(onPrimary(b, "current_setting('work_mem')")).isEqualTo("4MB");
    }
  }

  /** The value of {@code expression} on the primary, through a hint, so the single pooled primary connection serves it. */
  private static String onPrimary(Statement statement, String expression) throws SQLException {
    try (ResultSet row = statement.executeQuery("/* pgsplit:primary */ SELECT " + expression)) {
      row.next();
      return row.getString(1);
    }
  }

  @Test
  void aClientWithATemporaryTableKeepsItsConnectionWhileTheOthersShareTheRest() throws Exception {
    try (TestProxy two = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(2).start();
        Connection pinned = two.connect(); Statement statement = pinned.createStatement()) {
      statement.execute("CREATE TEMP TABLE scratch (x int)");
      statement.execute("INSERT INTO scratch VALUES (1)");
      for (int client = 0; client < 10; client++) {
        try (Connection other = two.connect(); Statement write = other.createStatement()) {
          write.execute("INSERT INTO pooled_ledger (client, n) VALUES (" + (2000 + client) + ", 0)");
        }
      }
      statement.execute("INSERT INTO scratch VALUES (2)");
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM scratch")) {
        rows.next();
        assertThat(rows.getInt(1)).as("the temporary table stayed with its client").isEqualTo(2);
      }
      assertThat(two.pins("temp_table")).isEqualTo(1);
    }
  }

  @Test
  void aClientThatLeavesInsideATransactionLeavesNothingBehind() throws Exception {
    try (TestProxy single = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(1).start()) {
      Connection leaving = single.connect();
      leaving.setAutoCommit(false);
      try (Statement statement = leaving.createStatement()) {
        statement.execute("INSERT INTO pooled_ledger (client, n) VALUES (3000, 0)");
      }
      leaving.abort(Runnable::run); // the socket closes with the transaction open

      try (Connection next = single.connect(); Statement statement = next.createStatement()) {
        await("the only primary connection freed").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          statement.execute("INSERT INTO pooled_ledger (client, n) VALUES (3001, 0)");
          try (ResultSet rows = statement.executeQuery(
              "/* pgsplit:primary */ SELECT count(*) FILTER (WHERE client = 3000), count(*) FILTER (WHERE client = 3001)"
                  + " FROM pooled_ledger")) {
            rows.next();
            assertThat(rows.getInt(1)).as("the abandoned transaction was rolled back").isZero();
            assertThat(rows.getInt(2)).isPositive();
          }
        });
      }
    }
  }

  @Test
  void pgjdbcServerPreparedStatementsWorkOnSharedPrimaryConnections() throws SQLException {
    for (String threshold : List.of("prepareThreshold=5", "prepareThreshold=1")) {
      try (Connection first = proxy.connect(threshold); Connection second = proxy.connect(threshold);
          PreparedStatement a = first.prepareStatement("INSERT INTO pooled_ledger (client, n) VALUES (?, ?) RETURNING n");
          PreparedStatement b = second.prepareStatement("UPDATE pooled_ledger SET n = n WHERE client = ? RETURNING client")) {
        for (int i = 0; i < 12; i++) {
          a.setInt(1, 4000);
          a.setInt(2, i);
          try (ResultSet row = a.executeQuery()) {
            assertThat(row.next()).isTrue();
            assertThat(row.getInt(1)).isEqualTo(i);
          }
          b.setInt(1, 4000);
          try (ResultSet rows = b.executeQuery()) {
            int updated = 0;
            while (rows.next()) {
              assertThat(rows.getInt(1)).isEqualTo(4000);
              updated++;
            }
            assertThat(updated).as("%s, round %d", threshold, i).isGreaterThan(i);
          }
        }
      }
    }
  }

  @Test
  void sqlPrepareAndExecuteFollowTheClientAcrossSharedConnections() throws SQLException {
    try (Connection first = proxy.connect(); Connection second = proxy.connect();
        Statement a = first.createStatement(); Statement b = second.createStatement()) {
      a.execute("PREPARE add_row (int) AS INSERT INTO pooled_ledger (client, n) VALUES ($1, 0)");
      b.execute("PREPARE add_row (int) AS INSERT INTO pooled_ledger (client, n) VALUES ($1 + 10, 0)");
      for (int i = 0; i < 6; i++) {
        a.execute("EXECUTE add_row (5000)");
        b.execute("EXECUTE add_row (5000)");
      }
    }
    try (Connection direct = cluster.connectDirectly(cluster.primary()); Statement statement = direct.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FILTER (WHERE client = 5000),"
            + " count(*) FILTER (WHERE client = 5010) FROM pooled_ledger")) {
      rows.next();
      assertThat(rows.getInt(1)).as("each client ran its own statement").isEqualTo(6);
      assertThat(rows.getInt(2)).isEqualTo(6);
    }
  }

  @Test
  void aCancelReachesTheConnectionServingThatClientAndNoOther() throws Exception {
    try (TestProxy two = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(2).start();
        Connection cancelled = two.connect(); Connection bystander = two.connect();
        Statement sleeping = cancelled.createStatement(); Statement other = bystander.createStatement()) {
      cancelled.setAutoCommit(false);
      bystander.setAutoCommit(false);
      sleeping.execute("INSERT INTO pooled_ledger (client, n) VALUES (6000, 0)"); // both hold a primary connection now
      other.execute("INSERT INTO pooled_ledger (client, n) VALUES (6001, 0)");
      java.util.concurrent.CompletableFuture<String> bystanderSleep = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> sleepFor(other, "1.5"));
      java.util.concurrent.CompletableFuture<String> cancelledSleep = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> sleepFor(sleeping, "30"));
      await("both sleeps running").atMost(Duration.ofSeconds(10)).until(() -> sleepingBackends() == 2);

      sleeping.cancel();

      assertThat(cancelledSleep.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("57014");
      assertThat(bystanderSleep.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("the other client's statement")
          .isEqualTo("done");
      cancelled.rollback();
      bystander.rollback();
    }
  }

  private static String sleepFor(Statement statement, String seconds) {
    try {
      statement.execute("SELECT pg_sleep(" + seconds + ")");
      return "done";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  private static int sleepingBackends() throws SQLException {
    try (Connection direct = cluster.connectDirectly(cluster.primary()); Statement statement = direct.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(%'"
            + " AND state = 'active'")) {
      row.next();
      return row.getInt(1);
    }
  }

  @Test
  void eachClientReadsItsOwnWritesThroughSharedPrimaryConnections() throws Exception {
    int clients = 5;
    int pairs = 40;
    try (TestProxy fenced = cluster.proxyConfig().poolMode("transaction").primaryMaxPerServer(2)
        .consistency("read-your-writes").start()) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<Integer>> missing = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
          int id = 7000 + client;
          missing.add(pool.submit(() -> missingOwnWrites(fenced, id, pairs)));
        }
        for (Future<Integer> client : missing) {
          assertThat(client.get()).as("reads that missed the client's own write just before").isZero();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static int missingOwnWrites(TestProxy proxy, int client, int pairs) throws SQLException {
    int missing = 0;
    try (Connection connection = proxy.connect();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO pooled_ledger (client, n) VALUES (?, ?)");
        PreparedStatement read = connection.prepareStatement(
            "SELECT count(*) FROM pooled_ledger WHERE client = ? AND n = ?")) {
      for (int n = 0; n < pairs; n++) {
        insert.setInt(1, client);
        insert.setInt(2, n);
        insert.executeUpdate();
        read.setInt(1, client);
        read.setInt(2, n);
        try (ResultSet row = read.executeQuery()) {
          row.next();
          missing += row.getInt(1) == 1 ? 0 : 1;
        }
      }
    }
    return missing;
  }
}
