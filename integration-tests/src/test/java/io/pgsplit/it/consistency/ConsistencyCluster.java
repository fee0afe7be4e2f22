package io.pgsplit.it.consistency;

import static org.awaitility.Awaitility.await;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Replication;
import io.pgsplit.it.TestClusters;
import io.pgsplit.it.Sql;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A primary and two streaming replicas owned by one test class, with the {@code checks} table that writers insert
 * into and readers look their rows up in, and a second login role, {@value #EVENTUAL_USER}, for per-user settings.
 */
final class ConsistencyCluster implements AutoCloseable {
  static final String DATABASE = PgCluster.APP_DATABASE;
  static final String EVENTUAL_USER = "app_eventual";
  static final String EVENTUAL_PASSWORD = "app_eventual_secret";
  /** Replicas "slowed" in the sense: far behind a client that reads right after it writes. */
  static final Duration SLOWED = Duration.ofMillis(300);
  private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(10);

  private final PgCluster pg;
  private final AtomicLong checkIds = new AtomicLong();

  private ConsistencyCluster(PgCluster pg) {
    this.pg = pg;
  }

  /** Server logs are kept in target/pg-logs/consistency/&lt;test class&gt; for post-mortems. */
  static ConsistencyCluster start(Class<?> testClass) throws SQLException {
    PgCluster pg = TestClusters.start(Path.of("target", "pg-logs", "consistency", testClass.getSimpleName()));
    ConsistencyCluster cluster = new ConsistencyCluster(pg);
    try {
      Sql.superuserExecute(pg.primary(),
          "CREATE TABLE checks (id bigint PRIMARY KEY, writer int NOT NULL)",
          "ALTER TABLE checks OWNER TO " + pg.appUser(),
          "CREATE ROLE " + EVENTUAL_USER + " LOGIN PASSWORD '" + EVENTUAL_PASSWORD + "'",
          "GRANT SELECT, INSERT ON checks TO " + EVENTUAL_USER);
      cluster.awaitReplicasCaughtUp();
      return cluster;
    } catch (SQLException | RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  PgNode primary() {
    return pg.primary();
  }

  List<PgNode> replicas() {
    return pg.replicas();
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

  /** A fresh id for a row of {@code checks}; unique for the cluster's lifetime, whichever test asks. */
  long nextCheckId() {
    return checkIds.incrementAndGet();
  }

  /** The node listening on {@code port}, i.e. the one whose inet_server_port() a client saw. */
  PgNode nodeListeningOn(int port) {
    return pg.nodeListeningOn(port);
  }

  boolean isPrimaryPort(int port) {
    return pg.primary().port() == port;
  }

  /**
   * Makes every replica apply each commit only {@code delay} after the primary made it
   * ({@code recovery_min_apply_delay}), so a read right behind a write finds replicas that have not replayed it.
   */
  void delayReplay(Duration delay) throws SQLException {
    setReplayDelay("'" + delay.toMillis() + "ms'", delay.toMillis());
  }

  /** Undoes {@link #delayReplay} and waits until the replicas have caught up, so the next test starts level. */
  void replayWithoutDelay() throws SQLException {
    setReplayDelay("DEFAULT", 0);
    awaitReplicasCaughtUp();
  }

  /**
   * pg_reload_conf() only signals the postmaster; a new backend seeing the value means the reload went round, and
   * the startup process, which applies the delay, is signalled in the same round.
   */
  private void setReplayDelay(String value, long millis) throws SQLException {
    for (PgNode replica : pg.replicas()) {
      Sql.superuserExecute(replica, "ALTER SYSTEM SET recovery_min_apply_delay = " + value, "SELECT pg_reload_conf()");
    }
    for (PgNode replica : pg.replicas()) {
      await("recovery_min_apply_delay = " + millis + " ms on " + replica.name()).atMost(RELOAD_TIMEOUT)
          .pollInterval(Duration.ofMillis(10))
          .until(() -> Long.toString(millis).equals(
              Sql.superuserScalar(replica, "SELECT setting FROM pg_settings WHERE name = 'recovery_min_apply_delay'")));
    }
  }

  /** Returns once every replica has replayed the primary's WAL up to its position at the time of the call. */
  void awaitReplicasCaughtUp() throws SQLException {
    Replication.awaitReplicasCaughtUp(primary(), pg.replicas());
  }

  /** Returns once every replica has replayed WAL up to {@code lsn}; fails after {@code max}. */
  void awaitReplicasReplayed(String lsn, Duration max) {
    Replication.awaitReplayed(pg.replicas(), lsn, max);
  }

  @Override
  public void close() {
    pg.close();
  }
}
