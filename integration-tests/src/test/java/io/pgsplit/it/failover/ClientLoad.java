package io.pgsplit.it.failover;

import io.pgsplit.cluster.PgNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * pgjdbc clients reading and writing through pgsplit, one thread each, for a bounded time, recording every outcome:
 * what the applications behind a proxy would see during a failover. A client whose connection is lost (SQLSTATE
 * class 08, or pgjdbc closed it) opens a new one, as a pool would.
 */
final class ClientLoad implements AutoCloseable {
  private static final String READ = "SELECT inet_server_port(), count(*) FROM ledger";
  private static final String PRIMARY_READ = "SELECT /* pgsplit:primary */ inet_server_port(), count(*) FROM ledger";
  private static final String WRITE = "INSERT INTO ledger (id, writer) VALUES (?, ?) RETURNING inet_server_port()";
  /** Pacing, so that six clients leave the two cores of a CI machine to the servers and the proxy. */
  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long RECONNECT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final Duration MAX_RUNTIME = Duration.ofMinutes(2);
  private static final int PINNING_ATTEMPTS = 20;

  private final FailoverProxy proxy;
  private final AtomicLong ids;
  private final PgNode pinnedTo;
  private final long deadline = System.nanoTime() + MAX_RUNTIME.toNanos();
  private final Queue<LoadOutcome> outcomes = new ConcurrentLinkedQueue<>();
  private final Map<Long, Integer> acknowledged = new ConcurrentHashMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final Set<ClientKind> kinds = EnumSet.noneOf(ClientKind.class);
  private volatile boolean stopping;

  private ClientLoad(FailoverProxy proxy, AtomicLong ids, PgNode pinnedTo) {
    this.proxy = proxy;
    this.ids = ids;
    this.pinnedTo = pinnedTo;
  }

  static Builder through(FailoverProxy proxy, FailoverCluster cluster) {
    return new Builder(proxy, cluster.ledgerIds());
  }

  /** Everything recorded so far. */
  LoadOutcomes outcomes() {
    return new LoadOutcomes(List.copyOf(outcomes));
  }

  /** Ledger ids whose INSERT returned, with the port of the server that acknowledged each. */
  Map<Long, Integer> acknowledged() {
    return Map.copyOf(acknowledged);
  }

  /** Waits until every kind of client has had {@code answers} statements answered, so the load is in full swing. */
  void awaitWarmUp(int answers, Duration max) {
    awaitOutcomes("every kind of client answered " + answers + " times",
        outcomes -> kinds.stream().allMatch(kind -> outcomes.of(kind).answered().count() >= answers), max);
  }

  /** Polls the outcomes recorded so far until {@code condition} holds; fails after {@code max}. */
  void awaitOutcomes(String what, Predicate<LoadOutcomes> condition, Duration max) {
    long deadlineNanos = System.nanoTime() + max.toNanos();
    while (!condition.test(outcomes())) {
      if (System.nanoTime() > deadlineNanos) {
        throw new AssertionError("the load did not reach \"" + what + "\" within " + max.toMillis() + " ms: "
            + outcomes().summary() + " " + outcomes().sampleMessages());
      }
      LockSupport.parkNanos(PAUSE_NANOS);
    }
  }

  /** Lets the load run on for {@code duration}. */
  static void runFor(Duration duration) {
    LockSupport.parkNanos(duration.toNanos());
  }

  /** Stops every client; a client stuck longer than its socket timeout allows is a hang and fails the test. */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    long joinMillis = TimeUnit.SECONDS.toMillis(FailoverProxy.SOCKET_TIMEOUT_SECONDS + 5L);
    List<String> stuck = new ArrayList<>();
    for (Thread thread : threads) {
      thread.join(joinMillis);
      if (thread.isAlive()) {
        stuck.add(thread.getName());
        thread.interrupt();
      }
    }
    if (!stuck.isEmpty()) {
      throw new IllegalStateException("load clients did not stop: " + stuck);
    }
  }

  private void start(ClientKind kind, int count) {
    kinds.add(kind);
    for (int i = 0; i < count; i++) {
      int number = threads.size() + 1;
      Thread thread = new Thread(() -> run(kind, number), "load-" + kind + "-" + number);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  private void run(ClientKind kind, int number) {
    Connection connection = null;
    try {
      while (!stopping && System.nanoTime() < deadline) {
        if (connection == null) {
          connection = open(kind, number);
        } else if (!step(kind, number, connection)) {
          closeQuietly(connection);
          connection = null;
        }
        LockSupport.parkNanos(connection == null ? RECONNECT_PAUSE_NANOS : PAUSE_NANOS);
      }
    } finally {
      closeQuietly(connection);
    }
  }

  private Connection open(ClientKind kind, int number) {
    long start = System.nanoTime();
    Connection connection = null;
    try {
      connection = proxy.connect();
      if (kind == ClientKind.PINNED_READER) {
        pin(connection);
      }
      outcomes.add(LoadOutcome.connected(kind, number, start));
      return connection;
    } catch (SQLException e) {
      outcomes.add(LoadOutcome.failure(kind, number, true, start, e));
      closeQuietly(connection);
      return null;
    }
  }

  /** Returns false when the connection cannot be used any more. */
  private boolean step(ClientKind kind, int number, Connection connection) {
    long start = System.nanoTime();
    try {
      int port = switch (kind) {
        case READER, PINNED_READER -> queryPort(connection, READ);
        case PRIMARY_READER -> queryPort(connection, PRIMARY_READ);
        case WRITER -> write(connection, number);
      };
      outcomes.add(LoadOutcome.success(kind, number, start, port));
      return true;
    } catch (SQLException e) {
      outcomes.add(LoadOutcome.failure(kind, number, false, start, e));
      // A failed statement aborts the pinned transaction: start over with a new one.
      return kind != ClientKind.PINNED_READER && !isLost(connection, e);
    }
  }

  private int write(Connection connection, int writer) throws SQLException {
    long id = ids.incrementAndGet();
    try (PreparedStatement insert = connection.prepareStatement(WRITE)) {
      insert.setLong(1, id);
      insert.setInt(2, writer);
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        int port = row.getInt(1);
        acknowledged.put(id, port);
        return port;
      }
    }
  }

  /** {@code BEGIN READ ONLY} goes to the next replica in pgsplit's rotation: roll back until it is the wanted one. */
  private void pin(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    connection.setReadOnly(true);
    for (int attempt = 0; attempt < PINNING_ATTEMPTS; attempt++) {
      if (queryPort(connection, "SELECT inet_server_port()") == pinnedTo.port()) {
        return;
      }
      connection.rollback();
    }
    throw new SQLException("no read-only transaction landed on " + pinnedTo.name() + " in " + PINNING_ATTEMPTS
        + " attempts");
  }

  private static int queryPort(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getInt(1);
    }
  }

  private static boolean isLost(Connection connection, SQLException e) {
    try {
      return connection.isClosed() || e.getSQLState() == null || e.getSQLState().startsWith("08");
    } catch (SQLException closed) {
      return true;
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // The connection is being thrown away because it failed.
      }
    }
  }

  static final class Builder {
    private final FailoverProxy proxy;
    private final AtomicLong ids;
    private final Map<ClientKind, Integer> counts = new EnumMap<>(ClientKind.class);
    private PgNode pinnedTo;

    private Builder(FailoverProxy proxy, AtomicLong ids) {
      this.proxy = proxy;
      this.ids = ids;
    }

    Builder readers(int count) {
      counts.put(ClientKind.READER, count);
      return this;
    }

    Builder writers(int count) {
      counts.put(ClientKind.WRITER, count);
      return this;
    }

    /** Sessions that read on the primary only (hinted): they must never notice a replica's trouble. */
    Builder primaryReaders(int count) {
      counts.put(ClientKind.PRIMARY_READER, count);
      return this;
    }

    /** Sessions reading in a read-only transaction on {@code replica}: they must never notice another's trouble. */
    Builder pinnedReaders(PgNode replica, int count) {
      pinnedTo = replica;
      counts.put(ClientKind.PINNED_READER, count);
      return this;
    }

    ClientLoad start() {
      ClientLoad load = new ClientLoad(proxy, ids, pinnedTo);
      counts.forEach(load::start);
      return load;
    }
  }
}
