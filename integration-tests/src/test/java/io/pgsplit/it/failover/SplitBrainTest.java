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

  @Test
  void promotingWhileTheOldPrimaryRunsRefusesWritesUntilOneIsStopped() throws Exception {
    String scenario = "split brain";
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

      LoadOutcomes writes = load.outcomes().of(ClientKind.WRITER);
      LoadOutcomes reads = load.outcomes().of(ClientKind.READER);
      LoadOutcomes writesRefused = writes.startedAfter(refusing).startedBefore(stopping);
      LoadOutcomes readsDuringSplitBrain = reads.startedAfter(detected).startedBefore(stopping);
      long firstRefusal = writes.withError(CANNOT_CONNECT_NOW).earliestEnd().orElseThrow();
      long firstWriteOnPg2 = writes.startedAfter(stopping).servedBy(pg2.port()).earliestEnd().orElseThrow();
      Map<Long, Integer> acknowledged = load.acknowledged();
      Set<Long> onPg2 = cluster.ledgerIdsOn(pg2);
      long strandedOnPg1 = acknowledged.entrySet().stream()
          .filter(ack -> ack.getValue() == pg1.port() && !onPg2.contains(ack.getKey())).count();
      long refusalDelay = millisBetween(promoted, firstRefusal);
      report(scenario, "promotion ms (pg_ctl promote until pg2 accepts writes)", millisBetween(promoting, promoted));
      report(scenario, "detection ms (promoted to split brain in topology)", millisBetween(promoted, detected));
      report(scenario, "first 57P03 ms (promoted to first refused write)", refusalDelay);
      report(scenario, "rows on pg1 / pg2 during split brain", pg1RowsBefore + " -> " + pg1RowsAfter + " / "
          + pg2RowsBefore + " -> " + pg2RowsAfter);
      report(scenario, "writes during split brain", writesRefused.summary());
      report(scenario, "reads during split brain", readsDuringSplitBrain.summary());
      report(scenario, "recovery ms (pg1 stop command to pg2 sole primary)", millisBetween(stopping, resolved));
      report(scenario, "write outage end ms (pg1 stop command to first write on pg2)",
          millisBetween(stopping, firstWriteOnPg2));
      report(scenario, "writes acknowledged by pg1 that pg2 never got (replication lag + detection window)",
          strandedOnPg1);
      report(scenario, "writes", writes.summary());
      report(scenario, "reads", reads.summary());

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(refusalDelay).as("ms from promotion to the first write refused with 57P03")
          .isLessThanOrEqualTo(INTERVAL.multipliedBy(2).plus(MARGIN).toMillis());
      softly.assertThat(pg1RowsAfter).as("rows on pg1 during split brain").isEqualTo(pg1RowsBefore);
      softly.assertThat(pg2RowsAfter).as("rows on pg2 during split brain").isEqualTo(pg2RowsBefore);
      softly.assertThat(writesRefused.answered().count()).as("writes acknowledged during split brain").isZero();
      softly.assertThat(writesRefused.errorsByState().keySet()).as("how writes were refused during split brain")
          .containsOnly(CANNOT_CONNECT_NOW);
      softly.assertThat(readsDuringSplitBrain.answered().count()).as("reads answered during split brain").isPositive();
      softly.assertThat(readsDuringSplitBrain.failed().count())
          .as("read errors during split brain: %s", readsDuringSplitBrain.sampleMessages()).isZero();
      softly.assertThat(millisBetween(stopping, firstWriteOnPg2)).as("ms from stopping pg1 to a write on pg2")
          .isLessThanOrEqualTo(DETECTION_BOUND.plus(MARGIN).toMillis());
      softly.assertThat(writes.startedAfter(resolved).answered().all())
          .as("writes after the split brain ended go to pg2").allMatch(write -> write.serverPort() == pg2.port());
      softly.assertThat(load.outcomes().timedOut().count())
          .as("clients that hung until their socket timeout: %s", load.outcomes().timedOut().sampleMessages()).isZero();
      softly.assertAll();
    }
  }
}
