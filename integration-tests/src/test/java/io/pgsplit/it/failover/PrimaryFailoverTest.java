package io.pgsplit.it.failover;

import static io.pgsplit.it.failover.FailoverProxy.DETECTION_BOUND;
import static io.pgsplit.it.failover.FailoverProxy.INTERVAL;
import static io.pgsplit.it.failover.Measurements.millisBetween;
import static io.pgsplit.it.failover.Measurements.report;
import static org.awaitility.Awaitility.await;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Sql;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * The primary crashes and pg2 is promoted, as an HA manager would do, while clients read and write through pgsplit.
 *
 * <p>pg1 replicates synchronously to pg2 here: with asynchronous replication a commit acknowledged just before the
 * crash may never reach pg2, whatever a proxy does, and the test could not tell that loss from one of pgsplit's.
 */
@Timeout(90)
class PrimaryFailoverTest {
  private static final Duration MARGIN = Duration.ofSeconds(1);

  private FailoverCluster cluster;

  /** A run's moments: the stop, the topology seeing no primary, the promotion, pgsplit following it. */
  private record Run(long stopping, long noPrimary, long promoting, long promoted, long followed) {
  }

  /** A cluster per mode: the run leaves pg1 stopped and pg2 promoted. */
  @BeforeEach
  void startCluster() throws SQLException {
    cluster = FailoverCluster.start(PrimaryFailoverTest.class);
    Sql.superuserExecute(cluster.pg1(), "ALTER SYSTEM SET synchronous_standby_names = 'pg2'",
        "SELECT pg_reload_conf()");
    await("pg2 replicating synchronously").atMost(Duration.ofSeconds(10)).until(() -> "sync".equals(
        Sql.superuserScalar(cluster.pg1(),
            "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'pg2'")));
  }

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest(name = "pool_mode {0}")
  @ValueSource(strings = {"session", "transaction"})
  void promotingAReplicaAfterThePrimaryStopsMovesWritesWithinTwoIntervals(String poolMode) throws Exception {
    PgNode pg1 = cluster.pg1();
    PgNode pg2 = cluster.pg2();
    try (FailoverProxy proxy = FailoverProxy.in(cluster).poolMode(poolMode).start();
        ClientLoad load = ClientLoad.through(proxy, cluster).readers(4).writers(2).start()) {
      load.awaitWarmUp(20, Duration.ofSeconds(15));

      long stopping = System.nanoTime();
      pg1.stopImmediate();
      long noPrimary = proxy.awaitTopology("no primary", p -> p.topology().primary().isEmpty(),
          DETECTION_BOUND.plus(MARGIN));
      long promoting = System.nanoTime();
      pg2.promote();
      long promoted = System.nanoTime();
      long followed = proxy.awaitTopology("pg2 as the primary", p -> p.isPrimary(pg2), Duration.ofSeconds(5));
      load.awaitOutcomes("a write acknowledged by pg2",
          outcomes -> outcomes.of(ClientKind.WRITER).servedBy(pg2.port()).count() > 0, Duration.ofSeconds(5));
      ClientLoad.runFor(Duration.ofMillis(1500));
      load.close();

      Run run = new Run(stopping, noPrimary, promoting, promoted, followed);
      List<Long> lost = lostWrites(load, pg2);
      reportRun("primary failover, pool_mode " + poolMode, run, load, pg2, lost);
      verify(run, load, pg1, pg2, lost);
    }
  }

  /** Writes pgsplit acknowledged that the new primary does not have. */
  private List<Long> lostWrites(ClientLoad load, PgNode pg2) throws SQLException {
    Map<Long, Integer> acknowledged = load.acknowledged();
    Set<Long> onPg2 = cluster.ledgerIdsOn(pg2);
    return acknowledged.keySet().stream().filter(id -> !onPg2.contains(id)).sorted().toList();
  }

  private static void reportRun(String scenario, Run run, ClientLoad load, PgNode pg2, List<Long> lost) {
    LoadOutcomes writes = load.outcomes().of(ClientKind.WRITER);
    long firstWriteOnPg2 = writes.servedBy(pg2.port()).earliestEnd().orElseThrow();
    LoadOutcomes duringSwitch = load.outcomes().endedAfter(run.stopping()).startedBefore(firstWriteOnPg2);
    report(scenario, "detection ms (stop command to no primary)", millisBetween(run.stopping(), run.noPrimary()));
    report(scenario, "promotion ms (pg_ctl promote until pg2 accepts writes)", millisBetween(run.promoting(), run.promoted()));
    report(scenario, "pgsplit follows ms (promoted to pg2 primary in topology)", millisBetween(run.promoted(), run.followed()));
    report(scenario, "first write ms (promoted to first write acknowledged by pg2)",
        millisBetween(run.promoted(), firstWriteOnPg2));
    report(scenario, "write outage ms (stop command to first write acknowledged by pg2)",
        millisBetween(run.stopping(), firstWriteOnPg2));
    report(scenario, "write errors during the switch", duringSwitch.of(ClientKind.WRITER).errorsByState());
    report(scenario, "read errors during the switch", duringSwitch.of(ClientKind.READER).errorsByState());
    report(scenario, "error messages", duringSwitch.sampleMessages());
    report(scenario, "writes", writes.summary());
    report(scenario, "reads", load.outcomes().of(ClientKind.READER).summary());
    report(scenario, "acknowledged writes / missing on pg2", load.acknowledged().size() + " / " + lost.size());
  }

  private static void verify(Run run, ClientLoad load, PgNode pg1, PgNode pg2, List<Long> lost) {
    LoadOutcomes writes = load.outcomes().of(ClientKind.WRITER);
    LoadOutcomes reads = load.outcomes().of(ClientKind.READER);
    long firstWriteOnPg2 = writes.servedBy(pg2.port()).earliestEnd().orElseThrow();
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(millisBetween(run.promoted(), firstWriteOnPg2))
        .as("ms from promotion to the first write acknowledged by pg2")
        .isLessThanOrEqualTo(INTERVAL.multipliedBy(2).plus(MARGIN).toMillis());
    softly.assertThat(lost).as("acknowledged writes missing on the new primary").isEmpty();
    softly.assertThat(writes.startedAfter(run.followed()).answered().servedBy(pg1.port()).count())
        .as("writes acknowledged by the stopped primary").isZero();
    softly.assertThat(writes.startedAfter(firstWriteOnPg2).failed().count())
        .as("write errors once writes moved: %s", writes.startedAfter(firstWriteOnPg2).sampleMessages()).isZero();
    softly.assertThat(reads.startedAfter(run.followed()).failed().count())
        .as("read errors once pgsplit followed the promotion: %s", reads.startedAfter(run.followed()).sampleMessages())
        .isZero();
    softly.assertThat(load.outcomes().timedOut().count())
        .as("clients that hung until their socket timeout: %s", load.outcomes().timedOut().sampleMessages()).isZero();
    softly.assertAll();
  }
}
