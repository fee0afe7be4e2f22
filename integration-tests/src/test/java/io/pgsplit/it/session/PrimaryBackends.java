package io.pgsplit.it.session;

import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts, on one server, the client backends of the app database other than its own, and keeps the highest count
 * seen while it samples in the background: what a pool limit must never be exceeded by. pgsplit's own monitoring
 * logins (application_name pgsplit-*: the routing catalog's reads) serve no client and are not counted.
 */
final class PrimaryBackends implements AutoCloseable {
  private static final String COUNT = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
      + " AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND application_name NOT LIKE 'pgsplit-%'";

  private static final String DESCRIBE = "SELECT string_agg(pid || ' ' || coalesce(application_name, '') || ' '"
      + " || coalesce(state, '') || ' port ' || coalesce(client_port::text, '') || ' ' || backend_start || ' '"
      + " || left(query, 60), E'\\n') FROM pg_stat_activity"
      + " WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()";

  private final Connection connection;
  private final AtomicInteger highest = new AtomicInteger();
  private volatile String highestSeen = "";
  private final Thread sampler;
  private volatile boolean running = true;
  private volatile SQLException failure;

  private PrimaryBackends(Connection connection) {
    this.connection = connection;
    this.sampler = new Thread(this::sample, "primary-backends");
    sampler.setDaemon(true);
  }

  /**
   * Starts sampling every few milliseconds over a direct connection to {@code node}, once the backends of proxies
   * closed before have left: a closed socket ends its backend only
   * after the server has noticed, so a test measuring its own proxy's backends starts from none. A backend that
   * never leaves fails the test, as a connection a closed proxy kept would.
   */
  static PrimaryBackends sampleFromNone(SessionCluster cluster, PgNode node) throws SQLException {
    return sampleFrom(cluster, node, () -> 0);
  }

  /**
   * Like {@link #sampleFromNone}, for a proxy that is running already: once the server's backends are exactly the
   * connections {@code proxy} says it holds there, so those of proxies closed before cannot add to the count.
   */
  static PrimaryBackends sampleOnlyOf(SessionCluster cluster, PgNode node, TestProxy proxy) throws SQLException {
    return sampleFrom(cluster, node, () -> {
      io.pgsplit.it.admin.PrometheusScrape scrape = proxy.scrape();
      double held = 0;
      for (String state : new String[] {"active", "idle", "pinned", "opening"}) {
        held += TestProxy.serverConnections(scrape, node.name(), state);
      }
      return (int) held;
    });
  }

  private static PrimaryBackends sampleFrom(SessionCluster cluster, PgNode node, java.util.function.IntSupplier own)
      throws SQLException {
    PrimaryBackends backends = new PrimaryBackends(cluster.connectDirectly(node));
    String before = backends.describe();
    try {
      org.awaitility.Awaitility.await("backends of earlier proxies gone")
          .atMost(java.time.Duration.ofSeconds(20)).pollInterval(java.time.Duration.ofMillis(20))
          .until(() -> backends.now() == own.getAsInt());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      AssertionError stuck = new AssertionError("backends of earlier proxies still there after 20 s:\n"
          + backends.describe() + "\nwhen the wait began:\n" + before
          + "\nthis process's own sockets to the server, by local port: " + OwnSockets.localPortsTo(node.port()), e);
      backends.connection.close();
      throw stuck;
    } catch (RuntimeException e) {
      backends.connection.close();
      throw e;
    }
    backends.sampler.start();
    return backends;
  }

  /** Client backends of the app database now (other than the sampler's). */
  int now() throws SQLException {
    synchronized (connection) {
      try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(COUNT)) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  /** The backends seen when the highest count was first sampled: what explains a limit overrun. */
  String highestSeen() {
    return highestSeen;
  }

  private String describe() throws SQLException {
    synchronized (connection) {
      try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(DESCRIBE)) {
        row.next();
        return String.valueOf(row.getString(1));
      }
    }
  }

  /** The highest count sampled so far. */
  int highest() throws SQLException {
    if (failure != null) {
      throw failure;
    }
    return Math.max(highest.get(), now());
  }

  private void sample() {
    while (running) {
      try {
        int count = now();
        if (count > highest.get()) {
          highest.set(count);
          highestSeen = describe();
        }
      } catch (SQLException e) {
        failure = e;
        return;
      }
      LockSupport.parkNanos(5_000_000);
    }
  }

  @Override
  public void close() throws SQLException {
    running = false;
    try {
      sampler.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }
}
