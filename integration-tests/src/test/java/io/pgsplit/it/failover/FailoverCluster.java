package io.pgsplit.it.failover;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Replication;
import io.pgsplit.it.TestClusters;
import io.pgsplit.it.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A primary (pg1) and two streaming replicas (pg2, pg3) owned by one test class: failover tests stop, freeze and
 * promote servers, so they never share a cluster. Holds the {@code ledger} table the client load writes to.
 */
final class FailoverCluster implements AutoCloseable {
  static final String DATABASE = PgCluster.APP_DATABASE;
  private static final String TIMEOUTS = "?connectTimeout=3&socketTimeout=10&loginTimeout=5";

  private final PgCluster pg;
  private final AtomicLong ledgerIds = new AtomicLong();

  private FailoverCluster(PgCluster pg) {
    this.pg = pg;
  }

  /** Server logs are kept in target/pg-logs/failover/&lt;test class&gt; for post-mortems. */
  static FailoverCluster start(Class<?> testClass) throws SQLException {
    PgCluster pg = TestClusters.start(Path.of("target", "pg-logs", "failover", testClass.getSimpleName()));
    FailoverCluster cluster = new FailoverCluster(pg);
    try {
      cluster.execute(pg.primary(), "CREATE TABLE ledger (id bigint PRIMARY KEY, writer int NOT NULL)");
      cluster.awaitReplicasCaughtUp();
      return cluster;
    } catch (SQLException | RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  PgNode pg1() {
    return pg.nodes().get(0);
  }

  PgNode pg2() {
    return pg.nodes().get(1);
  }

  PgNode pg3() {
    return pg.nodes().get(2);
  }

  List<PgNode> nodes() {
    return pg.nodes();
  }

  String appUser() {
    return pg.appUser();
  }

  String appPassword() {
    return pg.appPassword();
  }

  /** Ledger ids handed to writers; unique for the cluster's lifetime, so several loads can write in turn. */
  AtomicLong ledgerIds() {
    return ledgerIds;
  }

  /** The app user, straight to a node, bypassing the proxy. */
  Connection connectDirectly(PgNode node) throws SQLException {
    return DriverManager.getConnection(node.jdbcUrl(DATABASE) + TIMEOUTS, appUser(), appPassword());
  }

  void execute(PgNode node, String... statements) throws SQLException {
    try (Connection connection = connectDirectly(node); Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  long ledgerRows(PgNode node) throws SQLException {
    return Long.parseLong(Sql.superuserScalar(node, "SELECT count(*) FROM ledger"));
  }

  Set<Long> ledgerIdsOn(PgNode node) throws SQLException {
    Set<Long> ids = new HashSet<>();
    try (Connection connection = node.connectAsSuperuser(DATABASE); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id FROM ledger")) {
      while (rows.next()) {
        ids.add(rows.getLong(1));
      }
    }
    return ids;
  }

  PgNode nodeListeningOn(int port) {
    return pg.nodeListeningOn(port);
  }

  /** Returns once every running replica has replayed the primary's WAL up to its position at the time of the call. */
  void awaitReplicasCaughtUp() throws SQLException {
    Replication.awaitReplicasCaughtUp(pg1(), pg.replicas());
  }

  @Override
  public void close() {
    pg.close();
  }
}
