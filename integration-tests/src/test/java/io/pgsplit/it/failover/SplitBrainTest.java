package io.pgsplit.it.failover;

import static io.pgsplit.it.failover.FailoverProxy.DETECTION_BOUND;
import static io.pgsplit.it.failover.FailoverProxy.INTERVAL;
import static io.pgsplit.it.failover.Measurements.millisBetween;
import static io.pgsplit.it.failover.Measurements.report;

import io.pgsplit.cluster.PgNode;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * pg2 is promoted while pg1 still runs: two servers accept writes. pgsplit must refuse writes (57P03) rather than
 * pick one, keep serving reads, and send writes to pg2 once pg1 is gone.
 */
@Timeout(90)
class SplitBrainTest {
  private static final Duration MARGIN = Duration.ofSeconds(1);
  private static final String CANNOT_CONNECT_NOW = "57P03";

  private static FailoverCluster cluster;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = FailoverCluster.start(SplitBrainTest.class);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The moments of one split-brain run, and the ledger rows on each side while it lasted. */
  private record Run(long promoting, long promoted, long detected, long refusing, long stopping, long resolved,
                     long pg1RowsBefore, long pg1RowsAfter, long pg2RowsBefore, long pg2RowsAfter) {
  }

  @Test
  void promotingWhileTheOldPrimaryRunsRefusesWritesUntilOneIsStopped() throws Exception {
    PgNode pg1 = cluster.pg1();
    PgNode pg2 = cluster.pg2();
    int writers = 2;
    try (FailoverProxy proxy = FailoverProxy.in(cluster).start();
        ClientLoad load = ClientLoad.through(proxy, cluster).readers(4).writers(writers).start()) {
      load.awaitWarmUp(20, Duration.ofSeconds(15));

      long promoting = System.nanoTime();
      pg2.promote();
      long promoted = System.nanoTime();
      long detected = proxy.awaitTopology("split brain", p -> p.topology().splitBrain(), Duration.ofSeconds(5));
      // Once every writer has been refused, no write that was routed before the detection can still be running.
      load.awaitOutcomes("every writer refused", outcomes -> outcomes.of(ClientKind.WRITER).startedAfter(detected)
          .withError(CANNOT_CONNECT_NOW).clients().size() == writers, Duration.ofSeconds(5));
      long refusing = System.nanoTime();
      long pg1RowsBefore = cluster.ledgerRows(pg1);
      long pg2RowsBefore = cluster.ledgerRows(pg2);
      ClientLoad.runFor(Duration.ofMillis(1500));
      long pg1RowsAfter = cluster.ledgerRows(pg1);
      long pg2RowsAfter = cluster.ledgerRows(pg2);
      long stopping = System.nanoTime();
      pg1.stopImmediate();
      long resolved = proxy.awaitTopology("pg2 as the only primary", p -> p.isPrimary(pg2),
          DETECTION_BOUND.plus(MARGIN));
      load.awaitOutcomes("a write acknowledged by pg2",
          outcomes -> outcomes.of(ClientKind.WRITER).startedAfter(stopping).servedBy(pg2.port()).count() > 0,
          Duration.ofSeconds(5));
      ClientLoad.runFor(Duration.ofSeconds(1));
      load.close();

      Run run = new Run(promoting, promoted, detected, refusing, stopping, resolved, pg1RowsBefore, pg1RowsAfter,
          pg2RowsBefore, pg2RowsAfter);
      reportRun(run, load, pg1, pg2);
      verify(run, load, pg2);
    }
  }

  private static void reportRun(Run run, ClientLoad load, PgNode pg1, PgNode pg2) throws Exception {
    String scenario = "split brain";
    LoadOutcomes writes = load.outcomes().of(ClientKind.WRITER);
    LoadOutcomes reads = load.outcomes().of(ClientKind.READER);
    long firstRefusal = writes.withError(CANNOT_CONNECT_NOW).earliestEnd().orElseThrow();
    long firstWriteOnPg2 = writes.startedAfter(run.stopping()).servedBy(pg2.port()).earliestEnd().orElseThrow();
    Map<Long, Integer> acknowledged = load.acknowledged();
    Set<Long> onPg2 = cluster.ledgerIdsOn(pg2);
    long strandedOnPg1 = acknowledged.entrySet().stream()
        .filter(ack -> ack.getValue() == pg1.port() && !onPg2.contains(ack.getKey())).count();
    report(scenario, "promotion ms (pg_ctl promote until pg2 accepts writes)", millisBetween(run.promoting(), run.promoted()));
    report(scenario, "detection ms (promoted to split brain in topology)", millisBetween(run.promoted(), run.detected()));
    report(scenario, "first 57P03 ms (promoted to first refused write)", millisBetween(run.promoted(), firstRefusal));
    report(scenario, "rows on pg1 / pg2 during split brain", run.pg1RowsBefore() + " -> " + run.pg1RowsAfter() + " / "
        + run.pg2RowsBefore() + " -> " + run.pg2RowsAfter());
    report(scenario, "writes during split brain", writes.startedAfter(run.refusing()).startedBefore(run.stopping()).summary());
    report(scenario, "reads during split brain", reads.startedAfter(run.detected()).startedBefore(run.stopping()).summary());
    report(scenario, "recovery ms (pg1 stop command to pg2 sole primary)", millisBetween(run.stopping(), run.resolved()));
    report(scenario, "write outage end ms (pg1 stop command to first write on pg2)",
        millisBetween(run.stopping(), firstWriteOnPg2));
    report(scenario, "writes acknowledged by pg1 that pg2 never got (replication lag + detection window)",
        strandedOnPg1);
    report(scenario, "writes", writes.summary());
    report(scenario, "reads", reads.summary());
  }

  private static void verify(Run run, ClientLoad load, PgNode pg2) {
    LoadOutcomes writes = load.outcomes().of(ClientKind.WRITER);
    LoadOutcomes writesRefused = writes.startedAfter(run.refusing()).startedBefore(run.stopping());
    LoadOutcomes readsDuringSplitBrain = load.outcomes().of(ClientKind.READER).startedAfter(run.detected())
        .startedBefore(run.stopping());
    long firstRefusal = writes.withError(CANNOT_CONNECT_NOW).earliestEnd().orElseThrow();
    long firstWriteOnPg2 = writes.startedAfter(run.stopping()).servedBy(pg2.port()).earliestEnd().orElseThrow();
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(millisBetween(run.promoted(), firstRefusal)).as("ms from promotion to the first write refused with 57P03")
        .isLessThanOrEqualTo(INTERVAL.multipliedBy(2).plus(MARGIN).toMillis());
    softly.assertThat(run.pg1RowsAfter()).as("rows on pg1 during split brain").isEqualTo(run.pg1RowsBefore());
    softly.assertThat(run.pg2RowsAfter()).as("rows on pg2 during split brain").isEqualTo(run.pg2RowsBefore());
    softly.assertThat(writesRefused.answered().count()).as("writes acknowledged during split brain").isZero();
    softly.assertThat(writesRefused.errorsByState().keySet()).as("how writes were refused during split brain")
        .containsOnly(CANNOT_CONNECT_NOW);
    softly.assertThat(readsDuringSplitBrain.answered().count()).as("reads answered during split brain").isPositive();
    softly.assertThat(readsDuringSplitBrain.failed().count())
        .as("read errors during split brain: %s", readsDuringSplitBrain.sampleMessages()).isZero();
    softly.assertThat(millisBetween(run.stopping(), firstWriteOnPg2)).as("ms from stopping pg1 to a write on pg2")
        .isLessThanOrEqualTo(DETECTION_BOUND.plus(MARGIN).toMillis());
    softly.assertThat(writes.startedAfter(run.resolved()).answered().all())
        .as("writes after the split brain ended go to pg2").allMatch(write -> write.serverPort() == pg2.port());
    softly.assertThat(load.outcomes().timedOut().count())
        .as("clients that hung until their socket timeout: %s", load.outcomes().timedOut().sampleMessages()).isZero();
    softly.assertAll();
  }
}
