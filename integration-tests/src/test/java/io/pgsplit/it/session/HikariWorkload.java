package io.pgsplit.it.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgsplit.it.Sql;
import io.pgsplit.it.session.SessionCluster.Served;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HikariCP in front of pgsplit, as a Spring application would use it: connections are borrowed by many threads in
 * turn, switched to read-only for read transactions ({@code @Transactional(readOnly = true)}) and back. Read
 * transactions must run on a replica, a write transaction must read its own insert on the primary. Rows go to
 * {@code hikari_rows}, which {@link #createTable} makes.
 */
final class HikariWorkload {
  private final SessionCluster cluster;
  private final AtomicLong readTransactions = new AtomicLong();
  private final AtomicLong writeTransactions = new AtomicLong();
  private final AtomicLong nextId;
  private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

  /** @param firstId ids start after it, so workloads on one table do not collide */
  HikariWorkload(SessionCluster cluster, long firstId) {
    this.cluster = cluster;
    this.nextId = new AtomicLong(firstId);
  }

  static void createTable(SessionCluster cluster) throws SQLException {
    cluster.setUpOnPrimary("CREATE TABLE IF NOT EXISTS hikari_rows (id bigint PRIMARY KEY, thread int NOT NULL)");
  }

  /** Half the threads read, half write, for {@code runMillis}; returns once every thread has stopped. */
  void run(TestProxy proxy, int poolSize, int threads, long runMillis) throws InterruptedException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(proxy.jdbcUrl());
    config.setUsername(cluster.appUser());
    config.setPassword(cluster.appPassword());
    config.setMaximumPoolSize(poolSize);
    config.setConnectionTimeout(10_000);
    config.setPoolName("pgsplit-session-it");
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
      for (int thread = 0; thread < threads; thread++) {
        boolean reader = thread % 2 == 0;
        int threadNumber = thread;
        workers.execute(() -> {
          try {
            while (System.nanoTime() < deadline) {
              if (reader) {
                readTransaction(pool);
              } else {
                writeTransaction(pool, threadNumber);
              }
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
      }
      workers.shutdown();
      assertThat(workers.awaitTermination(runMillis + 30_000, TimeUnit.MILLISECONDS)).as("threads finished").isTrue();
    } finally {
      workers.shutdownNow();
    }
  }

  /** No thread failed, both kinds of transaction ran often, and every committed row is on the primary. */
  void assertNoErrorsAndEveryCommittedRowPresent(long firstId) throws SQLException {
    assertThat(firstErrors()).as("errors of the workload's threads").isEmpty();
    assertThat(readTransactions.get()).as("read transactions").isGreaterThan(100);
    assertThat(writeTransactions.get()).as("write transactions").isGreaterThan(100);
    assertThat(Sql.superuserScalar(cluster.primary(), "SELECT count(*) FROM hikari_rows WHERE id > " + firstId
        + " AND id <= " + nextId.get())).isEqualTo(Long.toString(writeTransactions.get()));
  }

  private void readTransaction(HikariDataSource pool) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      connection.setReadOnly(true);
      connection.setAutoCommit(false);
      Served read = cluster.ask(connection,
          "SELECT inet_server_port(), pg_is_in_recovery()::text, count(*) FROM hikari_rows");
      assertThat(read.value()).as("pg_is_in_recovery() in a read-only transaction on %s", read.node())
          .isEqualTo("true");
      connection.commit();
    }
    readTransactions.incrementAndGet();
  }

  private void writeTransaction(HikariDataSource pool, int thread) throws SQLException {
    long id = nextId.incrementAndGet();
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement(
              "INSERT INTO hikari_rows (id, thread) VALUES (?, ?) RETURNING inet_server_port()");
          PreparedStatement read = connection.prepareStatement(
              "SELECT inet_server_port(), count(*) FROM hikari_rows WHERE id = ?")) {
        insert.setLong(1, id);
        insert.setInt(2, thread);
        assertThat(cluster.ask(insert).onReplica()).as("insert served by a replica").isFalse();
        read.setLong(1, id);
        assertThat(cluster.ask(read)).as("reading the transaction's own insert")
            .isEqualTo(new Served(cluster.primary().name(), false, List.of("1")));
      }
      connection.commit();
    }
    writeTransactions.incrementAndGet();
  }

  private List<String> firstErrors() {
    List<String> described = new ArrayList<>();
    for (Throwable error : errors) {
      if (described.size() < 5) {
        described.add(error.toString());
      }
    }
    return described;
  }
}
