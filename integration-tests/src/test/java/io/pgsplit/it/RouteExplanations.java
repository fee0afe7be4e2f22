package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.cluster.Await;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** EXPLAIN (ROUTE) as a client reads it: one row of target, reason, server, consistency and cached. */
record RouteExplanations(String target, String reason, String server, String consistency, boolean cached) {

  static RouteExplanations explain(Connection connection, String statement) throws SQLException {
    try (Statement query = connection.createStatement();
        ResultSet row = query.executeQuery("EXPLAIN (ROUTE) " + statement)) {
      assertThat(row.next()).as("EXPLAIN (ROUTE) answers one row").isTrue();
      RouteExplanations explained = new RouteExplanations(row.getString("target"), row.getString("reason"),
          row.getString("server"), row.getString("consistency"), Boolean.parseBoolean(row.getString("cached")));
      assertThat(row.next()).isFalse();
      return explained;
    }
  }

  /** Polls EXPLAIN (ROUTE) until the statement is routed with {@code reason}: the catalog knows a function. */
  static RouteExplanations awaitReason(Connection connection, String statement, String reason) {
    AtomicReference<RouteExplanations> last = new AtomicReference<>();
    Await.until("EXPLAIN (ROUTE) " + statement + " to say " + reason, Duration.ofSeconds(10), () -> {
      last.set(explain(connection, statement));
      return last.get().reason().equals(reason);
    }, () -> "last answer: " + last.get());
    return last.get();
  }
}
