package io.pgsplit.it.failover;

import static io.pgsplit.it.failover.FailoverProxy.DETECTION_BOUND;
import static io.pgsplit.it.failover.Measurements.millisBetween;
import static io.pgsplit.it.failover.Measurements.report;

import io.pgsplit.cluster.PgNode;
import io.pgsplit.it.Sql;
import java.sql.SQLException;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A replica stops, falls behind or freezes while clients read and write through pgsplit. Every test gives the
 * replica back in the state it found it, so the three share one cluster.
 */
@Timeout(90)
class ReplicaFailureTest {
  private static final Duration WARM_UP = Duration.ofSeconds(15);
  private static final Duration READMISSION_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration MARGIN = Duration.ofSeconds(1);

  private static FailoverCluster cluster;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = FailoverCluster.start(ReplicaFailureTest.class);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Whatever a failed test left behind, the next one starts with pg2 running, replaying and caught up. */
  @AfterEach
  void restorePg2() throws SQLException {
    PgNode pg2 = cluster.pg2();
    if (pg2.isSuspended()) {
      pg2.resume();
    }
    if (!pg2.isRunning()) {
      pg2.start();
    }
    Sql.superuserExecute(pg2, "SELECT pg_wal_replay_resume()");
    cluster.awaitReplicasCaughtUp();
  }

  @Test
  void stoppingAReplicaCausesNoFailedReadsOnceTheRetryLands() throws Exception {
    String scenario = "replica stop";
    PgNode pg2 = cluster.pg2();
    try (FailoverProxy proxy = FailoverProxy.in(cluster).start();
        ClientLoad load = ClientLoad.through(proxy, cluster).readers(4).writers(2).start()) {
      load.awaitWarmUp(20, WARM_UP);

      long stopping = System.nanoTime();
      pg2.stopImmediate();
      long detected = proxy.awaitTopology("pg2 out of the read rotation", p -> !p.isReadable(pg2),
          DETECTION_BOUND.plus(MARGIN));
      ClientLoad.runFor(Duration.ofSeconds(1));
      long restarting = System.nanoTime();
      pg2.start();
      long restarted = System.nanoTime();
      long readmitted = proxy.awaitTopology("pg2 readable again", p -> p.isReadable(pg2), READMISSION_TIMEOUT);
      ClientLoad.runFor(Duration.ofSeconds(1));
      load.close();

      LoadOutcomes reads = load.outcomes().of(ClientKind.READER);
      LoadOutcomes writes = load.outcomes().of(ClientKind.WRITER);
      LoadOutcomes readsAfterStop = reads.endedAfter(stopping);
      report(scenario, "detection ms (stop command to out of rotation)", millisBetween(stopping, detected));
      report(scenario, "readmission ms (server accepting connections to readable)",
          millisBetween(restarted, readmitted));
      report(scenario, "restart ms (pg_ctl start)", millisBetween(restarting, restarted));
      report(scenario, "read errors before detection", readsAfterStop.startedBefore(detected).errorsByState());
      report(scenario, "read errors after detection", reads.startedAfter(detected).errorsByState());
      report(scenario, "read error messages", reads.failed().sampleMessages());
      report(scenario, "reads", reads.summary());
      report(scenario, "writes", writes.summary());
      report(scenario, "reads per port after readmission", reads.startedAfter(readmitted).answersByPort());

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(reads.startedAfter(detected).failed().count())
          .as("read errors once pgsplit knew pg2 was down: %s", reads.startedAfter(detected).sampleMessages())
          .isZero();
      softly.assertThat(reads.failed().count())
          .as("read errors at all (a read whose replica died is retried elsewhere): %s",
              reads.failed().sampleMessages())
          .isZero();
      softly.assertThat(writes.failed().count()).as("write errors: %s", writes.failed().sampleMessages()).isZero();
      softly.assertThat(reads.startedAfter(readmitted).servedBy(pg2.port()).count())
          .as("reads served by pg2 after it came back").isPositive();
      softly.assertThat(load.outcomes().timedOut().count())
          .as("clients that hung until their socket timeout: %s", load.outcomes().timedOut().sampleMessages()).isZero();
      softly.assertAll();
    }
  }

  @Test
  void aReplicaWhoseReplayIsPausedStopsGettingReadsUntilItCatchesUp() throws Exception {
    String scenario = "replica lag";
    PgNode pg2 = cluster.pg2();
    cluster.execute(cluster.pg1(), "CREATE TABLE IF NOT EXISTS ballast (id int, filler text)");
    cluster.awaitReplicasCaughtUp();
    try (FailoverProxy proxy = FailoverProxy.in(cluster).maxReplicaLag("1MB").start();
        ClientLoad load = ClientLoad.through(proxy, cluster).readers(4).writers(2).start()) {
      load.awaitWarmUp(20, WARM_UP);
      proxy.awaitTopology("pg2 readable", p -> p.isReadable(pg2), READMISSION_TIMEOUT);

      Sql.superuserExecute(pg2, "SELECT pg_wal_replay_pause()");
      long writing = System.nanoTime();
      // About 20 MB of WAL: twenty times the limit.
      cluster.execute(cluster.pg1(),
          "INSERT INTO ballast SELECT g, repeat('x', 1000) FROM generate_series(1, 20000) AS g");
      long written = System.nanoTime();
      long excluded = proxy.awaitTopology("pg2 too far behind for reads", p -> !p.isReadable(pg2),
          DETECTION_BOUND.plus(MARGIN));
      long lagBytes = proxy.topology().server(pg2.name()).orElseThrow().lagBytes();
      ClientLoad.runFor(Duration.ofSeconds(2));
      long resuming = System.nanoTime();
      Sql.superuserExecute(pg2, "SELECT pg_wal_replay_resume()");
      long readmitted = proxy.awaitTopology("pg2 readable again", p -> p.isReadable(pg2), READMISSION_TIMEOUT);
      ClientLoad.runFor(Duration.ofSeconds(1));
      load.close();

      LoadOutcomes reads = load.outcomes().of(ClientKind.READER);
      LoadOutcomes whileLagging = reads.startedAfter(excluded).startedBefore(resuming);
      report(scenario, "20 MB insert ms", millisBetween(writing, written));
      report(scenario, "detection ms (start of the 20 MB insert to out of rotation)", millisBetween(writing, excluded));
      report(scenario, "lag bytes when excluded", lagBytes);
      report(scenario, "readmission ms (replay resumed to readable)", millisBetween(resuming, readmitted));
      report(scenario, "reads per port while lagging", whileLagging.answersByPort());
      report(scenario, "reads per port after readmission", reads.startedAfter(readmitted).answersByPort());
      report(scenario, "reads", reads.summary());

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(whileLagging.answered().count()).as("reads answered while pg2 lagged").isPositive();
      softly.assertThat(whileLagging.servedBy(pg2.port()).count()).as("reads served by the lagging pg2").isZero();
      softly.assertThat(reads.failed().count()).as("read errors: %s", reads.failed().sampleMessages()).isZero();
      softly.assertThat(reads.startedAfter(readmitted).servedBy(pg2.port()).count())
          .as("reads served by pg2 once it caught up").isPositive();
      softly.assertThat(load.outcomes().timedOut().count())
          .as("clients that hung until their socket timeout: %s", load.outcomes().timedOut().sampleMessages()).isZero();
      softly.assertAll();
    }
  }

  @Test
  void aFrozenServerIsMarkedDownAndClientsAreNotStuckLongerThanTheTimeout() throws Exception {
    String scenario = "replica frozen (SIGSTOP)";
    PgNode pg2 = cluster.pg2();
    try (FailoverProxy proxy = FailoverProxy.in(cluster).start();
        ClientLoad load = ClientLoad.through(proxy, cluster).readers(4).writers(2).start()) {
      load.awaitWarmUp(20, WARM_UP);

      long frozen = System.nanoTime();
      pg2.suspend();
      long detected = proxy.awaitTopology("pg2 down", p -> p.isDown(pg2), DETECTION_BOUND.plus(MARGIN));
      // Long enough for a client stuck on pg2 to be answered, or to give up at its own socket timeout.
      ClientLoad.runFor(Duration.ofSeconds(FailoverProxy.SOCKET_TIMEOUT_SECONDS + 1));
      long resuming = System.nanoTime();
      pg2.resume();
      long readmitted = proxy.awaitTopology("pg2 readable again", p -> p.isReadable(pg2), READMISSION_TIMEOUT);
      ClientLoad.runFor(Duration.ofSeconds(1));
      load.close();

      LoadOutcomes reads = load.outcomes().of(ClientKind.READER);
      LoadOutcomes inFlightOrLater = reads.endedAfter(frozen).startedBefore(resuming);
      LoadOutcomes writes = load.outcomes().of(ClientKind.WRITER);
      Duration bound = DETECTION_BOUND.plus(MARGIN);
      report(scenario, "detection ms (SIGSTOP to marked down)", millisBetween(frozen, detected));
      report(scenario, "readmission ms (SIGCONT to readable)", millisBetween(resuming, readmitted));
      report(scenario, "longest read while frozen ms", inFlightOrLater.longestMillis());
      report(scenario, "reads taking longer than the bound (" + bound.toMillis() + " ms)",
          inFlightOrLater.all().stream().filter(read -> read.durationMillis() > bound.toMillis()).count());
      report(scenario, "read errors", reads.errorsByState());
      report(scenario, "read error messages", reads.failed().sampleMessages());
      report(scenario, "reads", reads.summary());
      report(scenario, "writes", writes.summary());

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(inFlightOrLater.longestMillis())
          .as("longest read once pg2 froze: a read stuck on it is failed or retried when pg2 is marked down")
          .isLessThanOrEqualTo(bound.toMillis());
      softly.assertThat(reads.startedAfter(detected).startedBefore(resuming).servedBy(pg2.port()).count())
          .as("reads served by pg2 after it was marked down").isZero();
      softly.assertThat(reads.startedAfter(detected).failed().count())
          .as("read errors once pg2 was marked down: %s", reads.startedAfter(detected).sampleMessages()).isZero();
      softly.assertThat(writes.failed().count()).as("write errors: %s", writes.failed().sampleMessages()).isZero();
      softly.assertThat(reads.startedAfter(readmitted).servedBy(pg2.port()).count())
          .as("reads served by pg2 after it was resumed").isPositive();
      softly.assertAll();
    }
  }
}
