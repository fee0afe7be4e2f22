package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsplit.cluster.PgCluster;
import io.pgsplit.cluster.PgNode;
import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.catalog.CatalogRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * EXPLAIN (ROUTE) agrees with where statements of the routing corpus really run: each is explained, then run, and
 * pg_stat_statements of every node says which one ran it (pgsplit's own catalog reads, which log in as the app user
 * too, left out). A proxy of its own, so no other client takes turns.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(180)
class ExplainRouteTest {
  /** Statements of router/src/test/resources/.../routing-corpus.tsv that run on the test schema below. */
  static Stream<String> corpusStatements() {
    return Stream.of(
        "SELECT 1", "select 1", "SELECT count(*) FROM t",
        "SELECT t.a, u.b FROM t JOIN u ON t.id = u.t_id WHERE u.b > 10",
        "SELECT 1 UNION SELECT 2", "SELECT a FROM t EXCEPT SELECT a FROM u",
        "SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b",
        "SELECT a, row_number() OVER (PARTITION BY b ORDER BY c) FROM t",
        "SELECT count(*) FILTER (WHERE a > 1) FROM t",
        "SELECT * FROM generate_series(1, 10) g", "SELECT now(), current_timestamp, random()", "SELECT pg_sleep(0.1)",
        "SELECT current_setting('search_path')", "SELECT lower(name), upper(name), lo FROM t",
        "SELECT loc, low FROM lots",
        "SELECT pg_is_in_recovery()", "SELECT txid_current_snapshot()", "VALUES (1), (2)", "TABLE t",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r",
        "SELECT substring('abc' from 1 for 2)", "SELECT overlay('abc' placing 'x' from 1 for 1)", "EXPLAIN SELECT 1",
        "EXPLAIN DELETE FROM t", "EXPLAIN ANALYZE SELECT * FROM t", "SHOW search_path",
        "INSERT INTO t VALUES (1)", "DELETE FROM t WHERE id = 1", "select * from t for update",
        "SELECT * FROM t FOR SHARE", "WITH x AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM x",
        "SELECT nextval('s')", "SELECT setval('s', 42)", "SELECT * FROM nextval('s')", "/* pgsplit:primary */ SELECT 1",
        "EXPLAIN ANALYZE DELETE FROM t", "COMMENT ON TABLE t IS 'x'", "ANALYZE t");
  }

  private static ProxiedCluster cluster;
  private static PgSplitServer proxy;
  private static Connection connection;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary(
        "CREATE TABLE IF NOT EXISTS t (id int, a int, b int, c int, name text, lo text)",
        "CREATE TABLE IF NOT EXISTS u (id int, t_id int, a int, b int)",
        "CREATE TABLE IF NOT EXISTS lots (loc int, low int)",
        "CREATE SEQUENCE IF NOT EXISTS s");
    // No periodic catalog reload during the test: the loader's own queries would count on the primary.
    proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(cluster.cluster()).routing("catalog_refresh: 1h"));
    connection = DriverManager.getConnection(ProxiedCluster.jdbcUrl(proxy.listenAddress()),
        cluster.cluster().appUser(), cluster.cluster().appPassword());
  }

  @AfterAll
  static void tearDown() throws SQLException {
    connection.close();
    proxy.close();
  }

  @Test
  void theCorpusSampleHasAtLeast30Statements() {
    assertThat(corpusStatements().count()).isGreaterThanOrEqualTo(30);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpusStatements")
  void explainSaysWhereTheStatementThenRuns(String statement) throws SQLException {
    RouteExplanations explained = RouteExplanations.explain(connection, statement);
    List<PgNode> nodes = cluster.cluster().nodes();
    StatementStats.resetOn(nodes.toArray(PgNode[]::new));

    Sql.execute(connection, statement);

    assertThat(nodesThatRanSomething(nodes)).as("%s explained as %s", statement, explained)
        .containsExactly(explained.server());
    String target = explained.server().equals(cluster.primary().name()) ? "primary" : "replica";
    assertThat(explained.target()).isEqualTo(target);
  }

  /**
   * The proxies' own catalog reads log in as the app user and run on the primary's "app" database (the shared
   * proxy's refresh every minute fell into a statement's window in CI): they are not the statement under test.
   */
  @Test
  void aCatalogReadOfTheProxyIsNotCountedAsAStatementThatRan() throws SQLException {
    List<PgNode> nodes = cluster.cluster().nodes();
    StatementStats.resetOn(nodes.toArray(PgNode[]::new));
    CatalogRegistry catalogs = proxy.context().catalogs();

    catalogs.changed(PgCluster.APP_DATABASE);
    await().atMost(Duration.ofSeconds(30)).until(() -> catalogs.current(PgCluster.APP_DATABASE) != null);

    assertThat(nodesThatRanSomething(nodes)).isEmpty();
  }

  @Test
  void theExtendedProtocolWithParametersAnswersWithTheFiveColumns() throws SQLException {
    try (PreparedStatement explain = connection.prepareStatement("EXPLAIN (ROUTE) SELECT * FROM t WHERE id = ?")) {
      explain.setInt(1, 5);
      try (ResultSet row = explain.executeQuery()) {
        ResultSetMetaData columns = row.getMetaData();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
          names.add(columns.getColumnName(i));
        }
        assertThat(names).containsExactly("target", "reason", "server", "consistency", "cached");
        assertThat(row.next()).isTrue();
        assertThat(row.getString("target")).isEqualTo("replica");
        assertThat(row.getString("server")).isIn(cluster.replicaNames());
      }
    }
  }

  @Test
  void insideATransactionTheTransactionDecides() throws SQLException {
    try (Connection inTransaction = DriverManager.getConnection(ProxiedCluster.jdbcUrl(proxy.listenAddress()),
        cluster.cluster().appUser(), cluster.cluster().appPassword())) {
      inTransaction.setAutoCommit(false);
      Sql.execute(inTransaction, "INSERT INTO t VALUES (2)");

      RouteExplanations explained = RouteExplanations.explain(inTransaction, "SELECT count(*) FROM t");

      assertThat(explained.target()).isEqualTo("primary");
      assertThat(explained.reason()).isEqualTo("transaction");
      assertThat(explained.consistency()).startsWith("the transaction decides");
      inTransaction.rollback();
    }
  }

  @Test
  void psqlGetsTheRowInTheSimpleProtocol() {
    ExternalCommand.Result result = new Psql(proxy.listenAddress(), cluster.cluster().appUser(),
        cluster.cluster().appPassword()).quiet().commands("EXPLAIN (ROUTE) UPDATE t SET a = 2");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout().strip()).isEqualTo("primary|write|" + cluster.primary().name() + "|eventual|false");
  }

  private static List<String> nodesThatRanSomething(List<PgNode> nodes) throws SQLException {
    List<String> ran = new ArrayList<>();
    for (PgNode node : nodes) {
      if (StatementStats.clientCalls(node, cluster.cluster().appUser()) > 0) {
        ran.add(node.name());
      }
    }
    return ran;
  }
}
