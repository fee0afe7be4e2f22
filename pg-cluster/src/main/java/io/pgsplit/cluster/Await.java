package io.pgsplit.cluster;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; exceptions from the condition count as "not yet". */
public final class Await {
  private static final Duration PAUSE = Duration.ofMillis(50);

  private Await() {}

  public static void until(String what, Duration timeout, Callable<Boolean> condition, Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastError = null;
    while (true) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (Exception e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline > 0) {
        String reason = lastError == null ? "" : " (last error: " + lastError.getMessage() + ")";
        throw new PgClusterException("Timed out after " + timeout.toSeconds() + " s waiting for " + what + reason
            + "\n" + diagnostics.get(), lastError);
      }
      sleep(PAUSE);
    }
  }

  static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PgClusterException("Interrupted while waiting", e);
    }
  }
}
