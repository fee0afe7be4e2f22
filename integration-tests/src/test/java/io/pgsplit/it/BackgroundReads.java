package io.pgsplit.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One pgjdbc connection reading in a loop on its own thread while a test does something nasty next to it: the
 * proof that one client's misbehaviour does not disturb another's session.
 */
final class BackgroundReads {
  /** Pacing, so the loop leaves the two cores of a CI machine to the servers and the proxy. */
  private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /** Upper bound of the loop in case the test never stops it. */
  private static final Duration MAX_RUNTIME = Duration.ofMinutes(3);

  private final String url;
  private final String user;
  private final String password;
  private final AtomicLong replicaReads = new AtomicLong();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean stopping;

  record Outcome(long replicaReads, List<String> problems) {}

  private BackgroundReads(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.thread = new Thread(this::loop, "background-reads");
    thread.setDaemon(true);
  }

  static BackgroundReads start(String url, String user, String password) {
    BackgroundReads reads = new BackgroundReads(url, user, password);
    reads.thread.start();
    return reads;
  }

  long replicaReads() {
    return replicaReads.get();
  }

  /** Stops the loop and reports what it saw; a read served by the primary or any error is a problem. */
  Outcome stop() throws InterruptedException {
    stopping = true;
    thread.join(TimeUnit.SECONDS.toMillis(40));
    if (thread.isAlive()) {
      problems.add("the reading thread did not stop");
    }
    return new Outcome(replicaReads.get(), List.copyOf(problems));
  }

  private void loop() {
    long deadline = System.nanoTime() + MAX_RUNTIME.toNanos();
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement()) {
      while (!stopping && System.nanoTime() < deadline) {
        try (ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
          row.next();
          if (row.getBoolean(1)) {
            replicaReads.incrementAndGet();
          } else {
            problems.add("a read ran on the primary");
          }
        }
        LockSupport.parkNanos(PAUSE_NANOS);
      }
    } catch (SQLException | RuntimeException e) {
      problems.add(e.toString());
    }
  }
}
