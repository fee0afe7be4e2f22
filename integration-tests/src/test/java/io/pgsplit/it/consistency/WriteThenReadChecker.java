package io.pgsplit.it.consistency;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The proof: concurrent pgjdbc clients through pgsplit, each inserting a row of its own (autocommit) and, as
 * the very next statement, selecting it back by id (autocommit), noting whether it was there and which server
 * answered. A client that gets an error stops, and the run fails with it: errors are never counted as stale reads.
 */
final class WriteThenReadChecker {
  private final ConsistencyCluster cluster;
  private final ConsistencyProxy proxy;
  private final int clients;
  private final int pairsPerClient;

  private WriteThenReadChecker(ConsistencyCluster cluster, ConsistencyProxy proxy, int clients, int pairs) {
    this.cluster = cluster;
    this.proxy = proxy;
    this.clients = clients;
    this.pairsPerClient = (pairs + clients - 1) / clients;
  }

  /** {@code pairs} write-then-read pairs in all, shared out evenly over {@code clients} connections. */
  static WriteThenReadChecker of(ConsistencyCluster cluster, ConsistencyProxy proxy, int clients, int pairs) {
    return new WriteThenReadChecker(cluster, proxy, clients, pairs);
  }

  WriteThenReadResult run() throws InterruptedException, SQLException {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<WriteThenReadResult>> runs = new ArrayList<>(clients);
      for (int writer = 1; writer <= clients; writer++) {
        int id = writer;
        runs.add(pool.submit(() -> runClient(id)));
      }
      WriteThenReadResult total = WriteThenReadResult.empty();
      for (Future<WriteThenReadResult> run : runs) {
        total = total.plus(outcomeOf(run));
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }

  private WriteThenReadResult runClient(int writer) throws SQLException {
    WriteThenReadResult.Builder result = WriteThenReadResult.builder(pairsPerClient);
    try (Connection connection = proxy.connect(); CheckRows rows = new CheckRows(connection)) {
      for (int i = 0; i < pairsPerClient; i++) {
        long id = cluster.nextCheckId();
        rows.insert(id, writer);
        long started = System.nanoTime();
        CheckRows.ReadBack read = rows.readBack(id);
        long nanos = System.nanoTime() - started;
        result.read(id, read.found(), !cluster.isPrimaryPort(read.port()),
            cluster.nodeListeningOn(read.port()).name(), nanos);
      }
    }
    return result.build();
  }

  private static WriteThenReadResult outcomeOf(Future<WriteThenReadResult> run)
      throws InterruptedException, SQLException {
    try {
      return run.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sqlException) {
        throw sqlException;
      }
      throw new IllegalStateException("a checker client failed", e.getCause());
    }
  }
}
