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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HikariCP in front of pgsplit, as a Spring application would use it: connections are borrowed by many threads in
 * turn, switched to read-only for read transactions ({@code @Transactional(readOnly = true)}) and back. Read
 * transactions must run on a replica, a write transaction must read its own insert on the primary.
 */
@ExtendWith(SessionClusterExtension.class)
@Timeout(90)
class HikariReadWriteSplitTest {
  private static final int POOL_SIZE = 10;
  private static final int THREADS = 32;
  private static final long RUN_MILLIS = 15_000;

  private static SessionCluster cluster;
  private static TestProxy proxy;

  private final AtomicLong readTransactions = new AtomicLong();
  private final AtomicLong writeTransactions = new AtomicLong();
  private final AtomicLong nextId = new AtomicLong();
  private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void createTable(SessionCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary("DROP TABLE IF EXISTS hikari_rows",
        "CREATE TABLE hikari_rows (id bigint PRIMARY KEY, thread int NOT NULL)");
    proxy = cluster.startProxy();
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void thirtyTwoThreadsOnTenPooledConnectionsRunReadTransactionsOnReplicasAndWritesOnThePrimaryWithoutErrors()
      throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(proxy.jdbcUrl());
    config.setUsername(cluster.appUser());
    config.setPassword(cluster.appPassword());
    config.setMaximumPoolSize(POOL_SIZE);
    config.setConnectionTimeout(10_000);
    config.setPoolName("pgsplit-session-it");
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
      for (int thread = 0; thread < THREADS; thread++) {
        boolean reader = thread % 2 == 0;
        int threadNumber = thread;
        threads.execute(() -> {
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
      threads.shutdown();
      assertThat(threads.awaitTermination(RUN_MILLIS + 30_000, TimeUnit.MILLISECONDS)).as("threads finished").isTrue();
    } finally {
      threads.shutdownNow();
    }

    assertThat(firstErrors()).as("errors of %s threads", THREADS).isEmpty();
    assertThat(readTransactions.get()).as("read transactions").isGreaterThan(100);
    assertThat(writeTransactions.get()).as("write transactions").isGreaterThan(100);
    assertThat(Sql.superuserScalar(cluster.primary(), "SELECT count(*) FROM hikari_rows"))
        .isEqualTo(Long.toString(writeTransactions.get()));
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
