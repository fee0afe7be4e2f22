package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two thousand clients connecting at the same instant, each writing once and reading once, in transaction mode:
 * each is served or refused cleanly with 53300 within the acquire timeout, nothing hangs, and no server ever sees
 * more connections than its pool allows.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(240)
class ConnectionStormTest {
  private static final int CLIENTS = 2_000;
  private static final int POOL_LIMIT = 10;
  private static final long ACQUIRE_TIMEOUT_MILLIS = 10_000;

  @Test
  void twoThousandClientsWithinOneSecondAreServedOrRefusedCleanlyAndNoPoolOverflows(SessionCluster cluster)
      throws Exception {
    cluster.setUpOnPrimary("CREATE TABLE IF NOT EXISTS storm_rows (client int NOT NULL)");
    try (TestProxy proxy = cluster.proxyConfig().poolMode("transaction").authType("md5")
            .primaryMaxPerServer(POOL_LIMIT).replicaMaxPerServer(POOL_LIMIT)
            .acquireTimeout(ACQUIRE_TIMEOUT_MILLIS + "ms").maxClientConnections(CLIENTS + 100).start();
        Samplers backends = Samplers.on(cluster)) {
      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      AtomicLong slowest = new AtomicLong();
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(CLIENTS);
      List<Thread> threads = new ArrayList<>(CLIENTS);
      for (int client = 0; client < CLIENTS; client++) {
        int id = client;
        Thread thread = new Thread(() -> {
          awaitQuietly(go); // every client is ready before any connects: they all connect at once
          long began = System.nanoTime();
          outcomes.computeIfAbsent(runOneClient(proxy, cluster, id), o -> new AtomicInteger()).incrementAndGet();
          slowest.accumulateAndGet(System.nanoTime() - began, Math::max);
          done.countDown();
        }, "storm-client-" + id);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
      long start = System.nanoTime();
      go.countDown();
      assertThat(done.await(ACQUIRE_TIMEOUT_MILLIS * 6, TimeUnit.MILLISECONDS)).as("every client finished").isTrue();

      Map<String, Integer> byOutcome = new TreeMap<>();
      outcomes.forEach((outcome, count) -> byOutcome.put(outcome, count.get()));
      System.out.printf("storm: %d clients released at once; all done in %d ms; outcomes %s; slowest client %d ms;"
          + " highest backends %s%n", CLIENTS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), byOutcome,
          TimeUnit.NANOSECONDS.toMillis(slowest.get()), backends.highest());
      assertThat(byOutcome.keySet()).as("served, or refused with 53300; nothing else").isSubsetOf("served", "53300");
      assertThat(byOutcome.getOrDefault("served", 0)).as("clients served").isPositive();
      backends.highest().forEach((node, highest) -> assertThat(highest).as("backends on %s", node)
          .isLessThanOrEqualTo(POOL_LIMIT));
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** "served", or the SQLSTATE of the error the client got. */
  private static String runOneClient(TestProxy proxy, SessionCluster cluster, int id) {
    try (Connection connection = DriverManager.getConnection(proxy.jdbcUrl("loginTimeout=60", "socketTimeout=60"),
        cluster.appUser(), cluster.appPassword()); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO storm_rows VALUES (" + id + ")");
      statement.execute("SELECT count(*) FROM storm_rows WHERE client = " + id);
      return "served";
    } catch (SQLException e) {
      return String.valueOf(e.getSQLState());
    }
  }

  /** One {@link PrimaryBackends} sampler per node. */
  private record Samplers(Map<String, PrimaryBackends> byNode) implements AutoCloseable {
    static Samplers on(SessionCluster cluster) throws SQLException {
      Map<String, PrimaryBackends> samplers = new TreeMap<>();
      for (PgNode node : cluster.nodes()) {
        samplers.put(node.name(), PrimaryBackends.sampleFromNone(cluster, node));
      }
      return new Samplers(samplers);
    }

    Map<String, Integer> highest() throws SQLException {
      Map<String, Integer> highest = new TreeMap<>();
      for (Map.Entry<String, PrimaryBackends> node : byNode.entrySet()) {
        highest.put(node.getKey(), node.getValue().highest());
      }
      return highest;
    }

    @Override
    public void close() throws SQLException {
      for (PrimaryBackends sampler : byNode.values()) {
        sampler.close();
      }
    }
  }
}
