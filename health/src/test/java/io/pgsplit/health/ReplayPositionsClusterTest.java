package io.pgsplit.health;

import static io.pgsplit.health.ClusterFixtures.FALL;
import static io.pgsplit.health.ClusterFixtures.RISE;
import static io.pgsplit.health.ClusterFixtures.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.pgsplit.cluster.LocalPgCluster;
import io.pgsplit.cluster.PgNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Replay positions read on demand against one shared primary with two replicas. Probes run only every 5 s here, so a
 * replica position that passes a fresh write's LSN within a test came from an on-demand read, not from a probe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayPositionsClusterTest {

    private static final HealthSettings RARE_PROBES =
            new HealthSettings(Duration.ofSeconds(5), TIMEOUT, FALL, RISE, -1, null);
    private static final Duration FIRST_ROUND = Duration.ofSeconds(5);
    private static final Duration CATCH_UP = Duration.ofSeconds(2);
    private static final String REPLAY_QUERY = "SELECT pg_last_wal_replay_lsn()";

    private LocalPgCluster cluster;
    private PgNode pg1;
    private PgNode pg2;
    private PgNode pg3;

    @BeforeAll
    void startCluster() throws SQLException {
        cluster = LocalPgCluster.builder().replicas(2).start();
        pg1 = cluster.primary();
        pg2 = cluster.replicas().get(0);
        pg3 = cluster.replicas().get(1);
        ClusterFixtures.executeAsSuperuser(pg1, LocalPgCluster.APP_DATABASE,
                "CREATE TABLE commits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())");
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void replayLsnStartsAtTheProbedPositionAndPassesAFreshWriteOnDemandWithoutAProbeRound() throws Exception {
        try (HealthMonitor monitor = startedMonitor()) {
            ServerHealth probed = monitor.topology().server("pg2").orElseThrow();
            assertThat(monitor.replayLsn("pg2")).isEqualTo(probed.walLsn()).isPositive();
            assertThat(monitor.replayLsn("pg1")).as("a primary replays nothing").isEqualTo(Lsn.UNKNOWN);
            assertThat(monitor.replayLsn("nonexistent")).isEqualTo(Lsn.UNKNOWN);

            long fence = commitOnPrimary();
            long written = System.nanoTime();
            await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(10))
                    .until(() -> refreshedPast(monitor, "pg2", fence) && monitor.replayLsn("pg3") >= fence);

            assertThat(Duration.ofNanos(System.nanoTime() - written)).isLessThan(RARE_PROBES.interval());
            assertThat(monitor.topology().server("pg2").orElseThrow().lastProbe())
                    .as("no probe round ran meanwhile").isEqualTo(probed.lastProbe());
        }
    }

    @Test
    void concurrentRefreshRequestsShareAFewRounds() throws Exception {
        try (HealthMonitor monitor = startedMonitor()) {
            resetStatementStats(pg2, pg3);
            int requests = 100;
            int threads = 10;
            List<CompletableFuture<Void>> refreshes = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            try {
                for (int thread = 0; thread < threads; thread++) {
                    callers.execute(() -> {
                        awaitQuietly(go);
                        for (int i = 0; i < requests / threads; i++) {
                            refreshes.add(monitor.refreshReplayPositions());
                        }
                    });
                }
                go.countDown();
                callers.shutdown();
                assertThat(callers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            } finally {
                callers.shutdownNow();
            }
            CompletableFuture.allOf(refreshes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

            assertThat(refreshes).hasSize(requests);
            assertThat(replayQueries(pg2)).isBetween(1L, 5L);
            assertThat(replayQueries(pg3)).isBetween(1L, 5L);
        }
    }

    @Test
    void replicaWithPausedReplayStaysBehindTheFenceWhileTheOtherPassesItAndCatchesUpOnResume() throws Exception {
        try (HealthMonitor monitor = startedMonitor()) {
            ClusterFixtures.executeAsSuperuser(pg2, "postgres", "SELECT pg_wal_replay_pause()");
            try {
                await().atMost(CATCH_UP).until(() -> "paused".equals(replayPauseState(pg2)));
                long fence = commitOnPrimary();

                await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(10))
                        .until(() -> refreshedPast(monitor, "pg3", fence));
                monitor.refreshReplayPositions().get(5, TimeUnit.SECONDS);
                assertThat(monitor.replayLsn("pg2")).isPositive().isLessThan(fence);
                assertThat(monitor.topology().readableReplicas()).extracting(ServerHealth::name)
                        .containsExactly("pg2", "pg3");

                ClusterFixtures.executeAsSuperuser(pg2, "postgres", "SELECT pg_wal_replay_resume()");
                await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(10))
                        .until(() -> refreshedPast(monitor, "pg2", fence));
            } finally {
                ClusterFixtures.executeAsSuperuser(pg2, "postgres", "SELECT pg_wal_replay_resume()");
            }
        }
    }

    @Test
    void suspendedReplicaDelaysRefreshesOnlyUntilTheTimeoutAndKeepsItsPosition() throws Exception {
        try (HealthMonitor monitor = startedMonitor()) {
            monitor.refreshReplayPositions().get(5, TimeUnit.SECONDS);
            long beforeSuspension = monitor.replayLsn("pg2");
            long fence;
            pg2.suspend();
            try {
                fence = commitOnPrimary();
                // The first refresh finds pg2's connection open and hangs in the query, the second in reconnecting.
                for (int refresh = 0; refresh < 2; refresh++) {
                    long started = System.nanoTime();
                    monitor.refreshReplayPositions().get(5, TimeUnit.SECONDS);
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.plusMillis(300));
                    assertThat(monitor.replayLsn("pg2")).isEqualTo(beforeSuspension);
                }
                await().atMost(CATCH_UP).pollInterval(Duration.ofMillis(10))
                        .until(() -> refreshedPast(monitor, "pg3", fence));
                assertThat(monitor.topology().server("pg2")).get().matches(ServerHealth::isReplica);
            } finally {
                pg2.resume();
            }

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> refreshedPast(monitor, "pg2", fence));
        }
    }

    @Test
    void reconfigureForgetsTheReplayPositionsOfRemovedServers() throws Exception {
        try (HealthMonitor monitor = startedMonitor()) {
            assertThat(monitor.replayLsn("pg3")).isPositive();

            monitor.reconfigure(ClusterFixtures.addresses(List.of(pg1, pg2)), RARE_PROBES,
                    ClusterFixtures.credentials(cluster));
            monitor.refreshReplayPositions().get(5, TimeUnit.SECONDS);

            assertThat(monitor.replayLsn("pg3")).isEqualTo(Lsn.UNKNOWN);
            assertThat(monitor.replayLsn("pg2")).isPositive();
        }
    }

    private HealthMonitor startedMonitor() {
        HealthMonitor monitor = ClusterFixtures.monitor(cluster, RARE_PROBES, cluster.nodes());
        monitor.start();
        assertThat(monitor.awaitFirstRound(FIRST_ROUND)).isTrue();
        assertThat(monitor.topology().readableReplicas()).hasSize(2);
        return monitor;
    }

    private static boolean refreshedPast(HealthMonitor monitor, String server, long fence) throws Exception {
        monitor.refreshReplayPositions().get(5, TimeUnit.SECONDS);
        return monitor.replayLsn(server) >= fence;
    }

    /** Commits a row and returns a WAL position at or after the commit, as the proxy's fence would be. */
    private long commitOnPrimary() throws SQLException {
        try (Connection connection = pg1.connectAsSuperuser(LocalPgCluster.APP_DATABASE);
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO commits DEFAULT VALUES");
            try (ResultSet row = statement.executeQuery("SELECT pg_current_wal_lsn()")) {
                row.next();
                return Lsn.parse(row.getString(1));
            }
        }
    }

    private static String replayPauseState(PgNode replica) throws SQLException {
        try (Connection connection = replica.connectAsSuperuser();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_get_wal_replay_pause_state()")) {
            row.next();
            return row.getString(1);
        }
    }

    private static void resetStatementStats(PgNode... nodes) throws SQLException {
        for (PgNode node : nodes) {
            ClusterFixtures.executeAsSuperuser(node, LocalPgCluster.APP_DATABASE, "SELECT pg_stat_statements_reset()");
        }
    }

    /** The replica's own count of on-demand replay position reads; the probes' query has a different text. */
    private static long replayQueries(PgNode replica) throws SQLException {
        try (Connection connection = replica.connectAsSuperuser(LocalPgCluster.APP_DATABASE);
             PreparedStatement statement = connection.prepareStatement("SELECT coalesce(sum(calls), 0) "
                     + "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
                     + "WHERE datname = current_database()) AND query = ?")) {
            statement.setString(1, REPLAY_QUERY);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
