package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.cli.PgSplitCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code pgsplit analyze} after a known workload, run straight on the primary in a database of its own: reads and a
 * stable function would go to replicas, an UPDATE and a function that inserts to the primary.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(120)
class AnalyzeCommandTest {
  private static final String DATABASE = "analyzed";
  private static ProxiedCluster cluster;
  private static String dsn;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    PgNode primary = cluster.primary();
    String app = cluster.cluster().appUser();
    try (Connection superuser = primary.connectAsSuperuser()) {
      if (Sql.scalar(superuser, "SELECT count(*) FROM pg_database WHERE datname = '" + DATABASE + "'").equals("0")) {
        Sql.execute(superuser, "CREATE DATABASE " + DATABASE + " OWNER " + app);
      }
    }
    try (Connection superuser = primary.connectAsSuperuser(DATABASE)) {
      Sql.execute(superuser, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }
    String url = "jdbc:postgresql://" + primary.host() + ":" + primary.port() + "/" + DATABASE;
    try (Connection connection = DriverManager.getConnection(url, app, cluster.cluster().appPassword())) {
      Sql.execute(connection,
          "DROP TABLE IF EXISTS items",
          "CREATE TABLE items (id int, name text)",
          "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g",
          "CREATE OR REPLACE FUNCTION add_item(n int) RETURNS void LANGUAGE plpgsql AS"
              + " $$BEGIN INSERT INTO items VALUES (n, 'new'); END$$",
          "CREATE OR REPLACE FUNCTION item_name(n int) RETURNS text LANGUAGE sql STABLE AS"
              + " 'SELECT name FROM items WHERE id = n'");
    }
    dsn = "postgresql://" + app + ":" + cluster.cluster().appPassword() + "@" + primary.host() + ":" + primary.port()
        + "/" + DATABASE;
  }

  /**
   * Every test analyses the same workload and only it: 30 + 7 reads, 10 updates, 5 inserts through a function, 37
   * calls for replicas and 15 for the primary. The reset runs in database app, so it is not recorded in this one.
   */
  @BeforeEach
  void runTheWorkloadAlone() throws SQLException {
    PgNode primary = cluster.primary();
    String url = "jdbc:postgresql://" + primary.host() + ":" + primary.port() + "/" + DATABASE;
    try (Connection connection = DriverManager.getConnection(url, cluster.cluster().appUser(),
        cluster.cluster().appPassword())) {
      StatementStats.resetOn(primary); // the login's own statements are not part of the workload either
      runWorkload(connection);
    }
  }

  private static void runWorkload(Connection connection) throws SQLException {
    run(connection, "SELECT name FROM items WHERE id = ?", 30, 0);
    run(connection, "SELECT item_name(?)", 7, 0);
    run(connection, "UPDATE items SET name = 'renamed' WHERE id = ?", 10, 0);
    run(connection, "SELECT add_item(?)", 5, 1000);
  }

  private static void run(Connection connection, String sql, int times, int offset) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 1; i <= times; i++) {
        statement.setInt(1, offset + i);
        statement.execute();
      }
    }
  }

  private static String analyze(String... options) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = PgSplitCommand.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    int exit = command.execute(options);
    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    return out.toString();
  }

  @Test
  void printsTheSplitOfCallsByTargetAndReasonAsJson() throws Exception {
    JsonNode report = new ObjectMapper().readTree(analyze("analyze", "--dsn", dsn, "--json"));
    JsonNode estimate = report.get("estimate");

    assertThat(estimate.get("replica").get("calls").asLong()).isEqualTo(37);
    assertThat(estimate.get("primary").get("calls").asLong()).isEqualTo(15);
    Map<String, Long> calls = new HashMap<>();
    for (JsonNode row : estimate.get("by_reason")) {
      calls.put(row.get("target").asText() + " " + row.get("reason").asText(), row.get("calls").asLong());
    }
    assertThat(calls).containsExactlyInAnyOrderEntriesOf(Map.of(
        "replica read", 37L, "primary write", 10L, "primary volatile_function", 5L));
    List<String> top = estimate.get("top_primary").findValuesAsText("query");
    assertThat(top).hasSize(2).anySatisfy(query -> assertThat(query).contains("add_item"));
    assertThat(report.get("replica_calls_percent").asDouble()).isBetween(71.0, 71.3);
  }

  @Test
  void printsTablesForAnOperator() {
    String report = analyze("analyze", "--dsn", dsn);

    assertThat(report).contains("pgsplit offload estimate for database " + DATABASE)
        .containsPattern("replica +read +2 +37 ")
        .containsPattern("primary +volatile_function +1 +5 ")
        .contains("replicas would take 71.2 % of the calls")
        .contains("SELECT add_item($1)");
  }

  @Test
  void onlyReadsAndLeavesItsOwnQueriesOutOfTheEstimate() throws Exception {
    analyze("analyze", "--dsn", dsn);
    JsonNode again = new ObjectMapper().readTree(analyze("analyze", "--dsn", dsn, "--json"));
    assertThat(again.get("estimate").get("replica").get("calls").asLong())
        .as("the first run's queries are not in the second's estimate").isEqualTo(37);

    try (Connection superuser = cluster.primary().connectAsSuperuser(DATABASE)) {
      String own = "SELECT count(*) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
          + " WHERE datname = current_database()) AND query LIKE '/* pgsplit-internal */%'";
      assertThat(Long.parseLong(Sql.scalar(superuser, own))).as("analyze's queries carry the marker").isPositive();
      assertThat(Sql.scalar(superuser, own + " AND query NOT LIKE '/* pgsplit-internal */ SELECT %'"))
          .as("and every one of them is a SELECT").isEqualTo("0");
    }
  }
}
