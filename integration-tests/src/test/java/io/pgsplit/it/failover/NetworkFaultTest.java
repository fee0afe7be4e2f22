package io.pgsplit.it.failover;

import static io.pgsplit.it.failover.FailoverProxy.DETECTION_BOUND;
import static io.pgsplit.it.failover.Measurements.millisBetween;
import static io.pgsplit.it.failover.Measurements.report;

import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The network between pgsplit and pg2 misbehaves ({@link FaultyRelay}; pgsplit's health probes of pg2 cross it too),
 * while the rest of the cluster is fine. Sessions on pg2 may suffer, within bounds; sessions on the healthy servers
 * (a hinted primary reader and a reader pinned to pg3 by a read-only transaction) must not notice anything.
 */
@Timeout(90)
class NetworkFaultTest {
  private static final Duration WARM_UP = Duration.ofSeconds(15);
  private static final Duration READMISSION_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration MARGIN = Duration.ofSeconds(1);
  private static final Duration LATENCY = Duration.ofMillis(50);
  private static final long RESET_AFTER_BYTES = 1 << 20;
  /** About 100 MB of rows: far more than the reset budget, so the reset always lands mid-stream. */
  private static final String BIG_RESULT =
      "SELECT inet_server_port(), repeat('x', 1000) FROM generate_series(1, 100000)";

  private static FailoverCluster cluster;
  private static FaultyRelay relay;
  private FailoverProxy proxy;

  @BeforeAll
  static void startClusterAndRelay() throws SQLException {
    cluster = FailoverCluster.start(NetworkFaultTest.class);
    relay = FaultyRelay.start(cluster.pg2().port());
  }

  @AfterAll
  static void stopClusterAndRelay() {
    try (FailoverCluster c = cluster; FaultyRelay r = relay) {
      // Closed in reverse order: the relay, then the servers.
    }
  }

  /** A proxy of its own for every test, so that no test inherits another's health history or sessions. */
  @BeforeEach
  void startProxy() throws InterruptedException {
    proxy = FailoverProxy.in(cluster).via(cluster.pg2(), relay).start();
    proxy.awaitTopology("pg1 primary, pg2 and pg3 readable", p -> p.isPrimary(cluster.pg1())
        && p.isReadable(cluster.pg2()) && p.isReadable(cluster.pg3()), READMISSION_TIMEOUT);
  }

  @AfterEach
  void stopProxyAndHealTheNetwork() {
    try {
      proxy.close();
    } finally {
      relay.heal();
    }
  }

  @Test
  void addedLatencySlowsSessionsOnThatReplicaWithoutFailingAny() throws Exception {
    String scenario = "network latency 50 ms";
    PgNode pg2 = cluster.pg2();
    PgNode pg3 = cluster.pg3();
    try (ClientLoad load = healthySessions().readers(4).start()) {
      load.awaitWarmUp(20, WARM_UP);

      long slowed = System.nanoTime();
      relay.latency(LATENCY);
      ClientLoad.runFor(Duration.ofSeconds(3));
      boolean pg2StayedReadable = proxy.isReadable(pg2);
      load.close();

      LoadOutcomes reads = load.outcomes().of(ClientKind.READER).startedAfter(slowed);
      LoadOutcomes throughRelay = reads.servedBy(pg2.port());
      LoadOutcomes direct = reads.servedBy(pg3.port());
      report(scenario, "median read ms via the slow link / direct", throughRelay.medianMillis() + " / "
          + direct.medianMillis());
      report(scenario, "reads via the slow link / direct", throughRelay.count() + " / " + direct.count());
      report(scenario, "pg2 still readable", pg2StayedReadable);
      report(scenario, "errors", load.outcomes().errorsByState());

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(pg2StayedReadable).as("pg2 still readable: probes take 100 ms, well within the timeout")
          .isTrue();
      softly.assertThat(throughRelay.count()).as("reads still served by pg2").isPositive();
      softly.assertThat(throughRelay.medianMillis()).as("median ms of a read crossing the slow link twice")
          .isGreaterThanOrEqualTo(LATENCY.multipliedBy(2).toMillis());
      softly.assertThat(direct.medianMillis()).as("median ms of a read on pg3").isLessThan(LATENCY.toMillis());
      softly.assertThat(load.outcomes().failed().count()).as("errors: %s", load.outcomes().sampleMessages()).isZero();
      softly.assertAll();
    }
  }

  @Test
  void blackHoleFailsOnlySessionsOnThatReplicaAndWithinTheDetectionTime() throws Exception {
    String scenario = "network black hole";
    PgNode pg2 = cluster.pg2();
    try (ClientLoad load = healthySessions().readers(4).start()) {
      load.awaitWarmUp(20, WARM_UP);

      long holed = System.nanoTime();
      relay.blackHole();
      long detected = proxy.awaitTopology("pg2 down", p -> p.isDown(pg2), DETECTION_BOUND.plus(MARGIN));
      // Long enough for a client stuck on pg2 to be answered, or to give up at its own socket timeout.
      ClientLoad.runFor(Duration.ofSeconds(FailoverProxy.SOCKET_TIMEOUT_SECONDS + 1));
      long healing = System.nanoTime();
      relay.heal();
      long readmitted = proxy.awaitTopology("pg2 readable again", p -> p.isReadable(pg2), READMISSION_TIMEOUT);
      ClientLoad.runFor(Duration.ofSeconds(1));
      load.close();

      LoadOutcomes reads = load.outcomes().of(ClientKind.READER);
      LoadOutcomes caught = reads.endedAfter(holed).startedBefore(healing);
      Duration bound = DETECTION_BOUND.plus(MARGIN);
      report(scenario, "detection ms (black hole to marked down)", millisBetween(holed, detected));
      report(scenario, "readmission ms (healed to readable)", millisBetween(healing, readmitted));
      report(scenario, "longest read during the black hole ms", caught.longestMillis());
      report(scenario, "reads taking longer than the bound (" + bound.toMillis() + " ms)",
          caught.all().stream().filter(read -> read.durationMillis() > bound.toMillis()).count());
      report(scenario, "read errors", reads.errorsByState());
      report(scenario, "read error messages", reads.failed().sampleMessages());
      report(scenario, "healthy sessions", healthyOutcomes(load).summary());

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(caught.longestMillis())
          .as("longest read once pg2 fell silent: a read stuck on it is failed or retried when pg2 is marked down")
          .isLessThanOrEqualTo(bound.toMillis());
      softly.assertThat(reads.startedAfter(detected).failed().count())
          .as("read errors once pg2 was marked down: %s", reads.startedAfter(detected).sampleMessages()).isZero();
      assertHealthySessionsUntouched(softly, load);
      softly.assertThat(reads.startedAfter(readmitted).servedBy(pg2.port()).count())
          .as("reads served by pg2 after the network healed").isPositive();
      softly.assertAll();
    }
  }

  @Test
  void resetMidResultGivesTheClientAPromptErrorAndTheConnectionCarriesOn() throws Exception {
    String scenario = "connection reset mid-result";
    PgNode pg2 = cluster.pg2();
    PgNode pg3 = cluster.pg3();
    // No plain readers: this test steers pgsplit's replica rotation itself.
    try (ClientLoad load = healthySessions().start(); Connection connection = proxy.connect()) {
      load.awaitWarmUp(20, WARM_UP);
      relay.resetAfterBytes(RESET_AFTER_BYTES);

      SQLException failure = null;
      long failed = 0;
      for (int attempt = 0; attempt < 4 && failure == null; attempt++) {
        steerNextReadAwayFrom(connection, pg3);
        try {
          bigResultPort(connection); // answered by pg3 after all: try again
        } catch (SQLException e) {
          failed = System.nanoTime();
          failure = e;
        }
      }
      int nextAnswer = serverPort(connection);
      load.close();

      SoftAssertions softly = new SoftAssertions();
      softly.assertThat(relay.resets()).as("connections the relay reset").isPositive();
      softly.assertThat(failure == null ? null : failure.getSQLState())
          .as("SQLSTATE of the query cut short (null: no attempt failed)").startsWith("08");
      if (failure != null) {
        long errorDelay = millisBetween(relay.lastResetNanos(), failed);
        report(scenario, "client error", failure.getSQLState() + ": " + failure.getMessage());
        report(scenario, "error delay ms (reset to the client's exception)", errorDelay);
        softly.assertThat(errorDelay).as("ms from the reset to the client's error").isLessThan(MARGIN.toMillis());
      }
      report(scenario, "next query on the same connection answered by", cluster.nodeListeningOn(nextAnswer).name());
      report(scenario, "pg2 still readable", proxy.isReadable(pg2));
      report(scenario, "healthy sessions", healthyOutcomes(load).summary());
      softly.assertThat(nextAnswer).as("port that answered the next query on the same connection").isPositive();
      assertHealthySessionsUntouched(softly, load);
      softly.assertAll();
    }
  }

  @Test
  void refusedConnectionsSendReadsToTheOtherReplicaWithoutAnError() throws Exception {
    String scenario = "connections refused";
    PgNode pg2 = cluster.pg2();
    PgNode pg3 = cluster.pg3();
    try (ClientLoad healthy = healthySessions().start()) {
      healthy.awaitWarmUp(20, WARM_UP);

      relay.refuse();
      long refused = System.nanoTime();
      // Sessions opened from now on cannot open a connection to pg2: their reads must all be answered, by pg3 or by
      // a pooled pg2 connection opened before the refusal (pooled connections outlive the sessions that opened them).
      try (ClientLoad fresh = ClientLoad.through(proxy, cluster).readers(4).start()) {
        ClientLoad.runFor(Duration.ofSeconds(2));
        boolean pg2Readable = proxy.isReadable(pg2);
        fresh.close();
        healthy.close();

        LoadOutcomes reads = fresh.outcomes().of(ClientKind.READER);
        report(scenario, "reads of new sessions per port", reads.answersByPort());
        report(scenario, "median / longest read ms", reads.answered().medianMillis() + " / "
            + reads.answered().longestMillis());
        report(scenario, "read errors", reads.errorsByState());
        report(scenario, "pg2 still readable (its probe connection predates the refusal)", pg2Readable);
        report(scenario, "healthy sessions", healthyOutcomes(healthy).startedAfter(refused).summary());

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(reads.answered().count()).as("reads answered for new sessions").isPositive();
        softly.assertThat(reads.failed().count()).as("read errors: %s", reads.sampleMessages()).isZero();
        softly.assertThat(reads.answered().all()).as("reads answered by pg3 or a pooled pg2 connection")
            .allMatch(read -> read.serverPort() == pg3.port() || read.serverPort() == pg2.port());
        softly.assertThat(reads.answered().all()).as("pg3 took reads pg2 could not").anyMatch(read -> read.serverPort() == pg3.port());
        assertHealthySessionsUntouched(softly, healthy);
        softly.assertAll();
      }
    }
  }

  /** A hinted reader on the primary and a reader pinned to pg3: the sessions that never use pg2. */
  private ClientLoad.Builder healthySessions() {
    return ClientLoad.through(proxy, cluster).primaryReaders(1).pinnedReaders(cluster.pg3(), 1);
  }

  private static LoadOutcomes healthyOutcomes(ClientLoad load) {
    return load.outcomes().of(ClientKind.PRIMARY_READER, ClientKind.PINNED_READER);
  }

  private static void assertHealthySessionsUntouched(SoftAssertions softly, ClientLoad load) {
    LoadOutcomes healthy = healthyOutcomes(load);
    softly.assertThat(healthy.answered().count()).as("reads of the sessions on healthy servers").isPositive();
    softly.assertThat(healthy.failed().count())
        .as("errors of the sessions on healthy servers: %s", healthy.sampleMessages()).isZero();
    softly.assertThat(load.outcomes().of(ClientKind.PINNED_READER).answered().all())
        .as("pinned reads answered by pg3").allMatch(read -> read.serverPort() == cluster.pg3().port());
  }

  /**
   * pgsplit's rotation alternates between the two replicas and nothing else reads here: once a read was answered
   * by {@code replica}, the next one goes to the other.
   */
  private static void steerNextReadAwayFrom(Connection connection, PgNode replica) throws SQLException {
    int port = serverPort(connection);
    for (int attempt = 0; attempt < 3 && port != replica.port(); attempt++) {
      port = serverPort(connection);
    }
  }

  private static int bigResultPort(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(BIG_RESULT)) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static int serverPort(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT inet_server_port()")) {
      row.next();
      return row.getInt(1);
    }
  }
}
