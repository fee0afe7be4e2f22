package io.pgsplit.it.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proof, {@value #PAIRS} write-then-read pairs from {@value #CLIENTS} clients per configuration:
 * read-your-writes never misses a row its own session just committed, whether replicas keep up or lag
 * {@link ConsistencyCluster#SLOWED} behind; eventual is measured, not judged. Each configuration reports one line
 * ({@link ConsistencyReport}).
 */
@Timeout(120)
class WriteThenReadCheckerTest {
  private static final int CLIENTS = 8;
  private static final int PAIRS = 10_000;

  private static ConsistencyCluster cluster;

  @BeforeAll
  static void startCluster() throws SQLException {
    cluster = ConsistencyCluster.start(WriteThenReadCheckerTest.class);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void replayWithoutDelay() throws SQLException {
    cluster.replayWithoutDelay();
  }

  @Test
  void readYourWritesFindsEveryRowWhileReplicasKeepUp() throws Exception {
    try (ConsistencyProxy proxy = ConsistencyProxy.in(cluster).consistency("read-your-writes").start()) {
      WriteThenReadResult result = check(proxy, "mode=read-your-writes slowed=false");

      assertThat(result.missing()).as("rows missing right after their own commit, e.g. %s", result.missedReads())
          .isZero();
    }
  }

  @Test
  void readYourWritesFindsEveryRowWhileReplicasLag() throws Exception {
    cluster.delayReplay(ConsistencyCluster.SLOWED);
    try (ConsistencyProxy proxy = ConsistencyProxy.in(cluster).consistency("read-your-writes").start()) {
      WriteThenReadResult result = check(proxy, "mode=read-your-writes slowed=true");

      assertThat(result.missing()).as("rows missing right after their own commit, e.g. %s", result.missedReads())
          .isZero();
      assertThat(proxy.metricTotal("pgsplit_statements_total", "reason", "fence"))
          .as("reads sent to the primary because no replica had replayed the session's commit").isPositive();
    }
  }

  /** Measured only: how often a read right after a write misses it when nothing waits for replay. */
  @Test
  void eventualIsMeasuredWhileReplicasKeepUp() throws Exception {
    try (ConsistencyProxy proxy = ConsistencyProxy.in(cluster).consistency("eventual").start()) {
      check(proxy, "mode=eventual slowed=false");
    }
  }

  /** Measured only: with replicas {@link ConsistencyCluster#SLOWED} behind, nearly every such read should miss. */
  @Test
  void eventualIsMeasuredWhileReplicasLag() throws Exception {
    cluster.delayReplay(ConsistencyCluster.SLOWED);
    try (ConsistencyProxy proxy = ConsistencyProxy.in(cluster).consistency("eventual").start()) {
      check(proxy, "mode=eventual slowed=true");
    }
  }

  private static WriteThenReadResult check(ConsistencyProxy proxy, String configuration) throws Exception {
    WriteThenReadResult result = WriteThenReadChecker.of(cluster, proxy, CLIENTS, PAIRS).run();
    ConsistencyReport.record(result.summary(configuration) + " readsToPrimaryByFence="
        + (long) proxy.metricTotal("pgsplit_statements_total", "reason", "fence"));
    assertThat(result.pairs()).as("write-then-read pairs completed").isGreaterThanOrEqualTo(PAIRS);
    return result;
  }
}
