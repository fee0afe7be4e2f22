package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsplit.proxy.PgSplitServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Function calls judged by the database's catalog: where they really run (pg_stat_statements of each node), and
 * that a function created or replaced through pgsplit is never sent to a replica on an outdated judgement.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(120)
class CatalogRoutingTest {
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    try (Connection connection = cluster.connect()) {
      Sql.execute(connection,
          "CREATE TABLE IF NOT EXISTS cr_orders (id serial PRIMARY KEY, item text)",
          // VOLATILE by default, and it writes: the case every text-based splitter sends to a replica.
          "CREATE OR REPLACE FUNCTION cr_create_order(item text) RETURNS int LANGUAGE plpgsql AS $$"
              + " DECLARE new_id int; BEGIN INSERT INTO cr_orders (item) VALUES (item) RETURNING id INTO new_id;"
              + " RETURN new_id; END $$",
          "CREATE OR REPLACE FUNCTION cr_lookup(n int) RETURNS int LANGUAGE sql STABLE AS 'SELECT n + 1'",
          // VOLATILE too, but its body only reads.
          "CREATE OR REPLACE FUNCTION cr_count_orders() RETURNS bigint LANGUAGE sql AS"
              + " 'SELECT count(*) FROM cr_orders'",
          "CREATE OR REPLACE VIEW cr_order_view AS SELECT cr_create_order('from a view') AS id",
          "CREATE SCHEMA IF NOT EXISTS cr_tenant",
          "CREATE OR REPLACE FUNCTION public.cr_who() RETURNS text LANGUAGE sql STABLE AS $$SELECT 'public'$$",
          "CREATE OR REPLACE FUNCTION cr_tenant.cr_who() RETURNS text LANGUAGE plpgsql AS"
              + " $$BEGIN INSERT INTO cr_orders (item) VALUES ('tenant'); RETURN 'tenant'; END$$");
      RouteExplanations.awaitReason(connection, "SELECT cr_lookup(1)", "read");
    }
    Replication.awaitReplicasCaughtUp(cluster.cluster());
  }

  @Test
  void aPlpgsqlFunctionThatInsertsRunsOnThePrimaryAndSucceeds() throws SQLException {
    StatementStats.resetOn(cluster.cluster().nodes().toArray(io.pgsplit.cluster.PgNode[]::new));
    try (Connection connection = cluster.connect()) {
      assertThat(RouteExplanations.explain(connection, "SELECT cr_create_order('book')"))
          .extracting(RouteExplanations::target, RouteExplanations::reason)
          .containsExactly("primary", "volatile_function");

      assertThat(Sql.scalarLong(connection, "SELECT cr_create_order('book')")).isPositive();
    }
    assertThat(cluster.statementStats().callsByNode("SELECT cr_create_order%"))
        .containsEntry(cluster.primary().name(), 1L);
    assertThat(cluster.statementStats().callsOnReplicas("SELECT cr_create_order%")).isZero();
  }

  @Test
  void withTheCatalogOffTheSameCallGoesToAReplicaAndFailsThereWith25006() throws SQLException {
    try (PgSplitServer textOnly = ProxiedCluster.startProxy(ProxyYaml.forCluster(cluster.cluster())
        .routing("catalog: off"));
        Connection connection = DriverManager.getConnection(ProxiedCluster.jdbcUrl(textOnly.listenAddress()),
            cluster.cluster().appUser(), cluster.cluster().appPassword())) {
      assertThat(RouteExplanations.explain(connection, "SELECT cr_create_order('pen')").target()).isEqualTo("replica");

      assertThatThrownBy(() -> Sql.scalar(connection, "SELECT cr_create_order('pen')"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
    }
  }

  @Test
  void aStableFunctionAndAVolatileOneThatOnlyReadsRunOnAReplica() throws SQLException {
    StatementStats.resetOn(cluster.cluster().nodes().toArray(io.pgsplit.cluster.PgNode[]::new));
    try (Connection connection = cluster.connect()) {
      assertThat(Sql.scalarLong(connection, "SELECT cr_lookup(41)")).isEqualTo(42);
      Sql.scalarLong(connection, "SELECT cr_count_orders()");
    }
    assertThat(cluster.statementStats().callsOnReplicas("SELECT cr_lookup%")).isEqualTo(1);
    assertThat(cluster.statementStats().callsOnReplicas("SELECT cr_count_orders%")).isEqualTo(1);
    assertThat(cluster.statementStats().callsByNode("SELECT cr_%")).containsEntry(cluster.primary().name(), 0L);
  }

  @Test
  void aStartupSearchPathOfTwoSchemasReachesTheReplicasAsTwoSchemas() throws SQLException {
    try (Connection connection = cluster.connect("currentSchema=cr_tenant,public")) {
      assertThat(Sql.scalar(connection, "SELECT pg_is_in_recovery()")).isEqualTo("t");
      assertThat(Sql.scalar(connection, "SELECT current_setting('search_path')")).isEqualTo("cr_tenant,public");
      assertThat(RouteExplanations.explain(connection, "SELECT cr_who()").reason()).isEqualTo("volatile_function");
      assertThat(Sql.scalar(connection, "SELECT cr_who()")).isEqualTo("tenant");
    }
  }

  @Test
  void aViewThatCallsAWritingFunctionIsReadOnThePrimary() throws SQLException {
    try (Connection connection = cluster.connect()) {
      assertThat(RouteExplanations.explain(connection, "SELECT * FROM cr_order_view").target()).isEqualTo("primary");
      assertThat(Sql.scalarLong(connection, "SELECT id FROM cr_order_view")).isPositive();
    }
  }

  @Test
  void theSessionsSearchPathDecidesWhichFunctionAnUnqualifiedCallMeans() throws SQLException {
    try (Connection connection = cluster.connect()) {
      assertThat(RouteExplanations.explain(connection, "SELECT cr_who()").target()).isEqualTo("replica");
      Sql.execute(connection, "SET search_path = cr_tenant, public");

      assertThat(RouteExplanations.explain(connection, "SELECT cr_who()"))
          .extracting(RouteExplanations::target, RouteExplanations::reason)
          .containsExactly("primary", "volatile_function");
      assertThat(Sql.scalar(connection, "SELECT cr_who()")).isEqualTo("tenant");
    }
  }

  @Test
  void aFunctionReplacedThroughPgsplitIsNeverJudgedByItsOldDefinition() throws SQLException {
    try (Connection connection = cluster.connect()) {
      Sql.execute(connection,
          "CREATE OR REPLACE FUNCTION cr_flip() RETURNS int LANGUAGE sql STABLE AS 'SELECT 1'");
      assertThat(RouteExplanations.explain(connection, "SELECT cr_flip()").reason())
          .as("right after CREATE the function is unknown (the primary) or known, never wrongly judged")
          .isIn("unknown_function", "read");
      RouteExplanations.awaitReason(connection, "SELECT cr_flip()", "read");
      Replication.awaitReplicasCaughtUp(cluster.cluster());

      Sql.execute(connection, "CREATE OR REPLACE FUNCTION cr_flip() RETURNS int LANGUAGE plpgsql AS"
          + " $$BEGIN INSERT INTO cr_orders (item) VALUES ('flip'); RETURN 2; END$$");

      // The very next statement: with the stale judgement (stable) it would go to a replica and fail with 25006.
      assertThat(Sql.scalarLong(connection, "SELECT cr_flip()")).isEqualTo(2);
      assertThat(RouteExplanations.awaitReason(connection, "SELECT cr_flip()", "volatile_function").target())
          .isEqualTo("primary");
    }
  }

  @Test
  void aFunctionCreatedThroughPgsplitRunsOnAReplicaAsSoonAsTheCatalogWasReadAgain() throws SQLException {
    try (Connection connection = cluster.connect()) {
      Sql.execute(connection,
          "CREATE OR REPLACE FUNCTION cr_fresh_reader() RETURNS int LANGUAGE sql STABLE AS 'SELECT 7'");
      RouteExplanations known = RouteExplanations.awaitReason(connection, "SELECT cr_fresh_reader()", "read");
      Replication.awaitReplicasCaughtUp(cluster.cluster());
      StatementStats.resetOn(cluster.cluster().nodes().toArray(io.pgsplit.cluster.PgNode[]::new));

      assertThat(Sql.scalarLong(connection, "SELECT cr_fresh_reader()")).isEqualTo(7);

      assertThat(known.target()).isEqualTo("replica");
      assertThat(cluster.statementStats().callsByNode("SELECT cr_fresh_reader%")).containsEntry(known.server(), 1L);
    }
  }
}
