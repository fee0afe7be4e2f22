package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** psql (libpq, simple protocol) through the proxy with SCRAM authentication. */
@ExtendWith(ClusterExtension.class)
@Timeout(60)
class PsqlTest {
  private static ProxiedCluster cluster;
  private static Psql psql;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    psql = new Psql(shared.proxyAddress(), shared.cluster().appUser(), shared.cluster().appPassword());
    cluster.setUpOnPrimary(
        "DROP TABLE IF EXISTS psql_rows",
        "CREATE TABLE psql_rows (id int, label text)");
  }

  @BeforeEach
  void forgetStatementStatistics() throws SQLException {
    cluster.statementStats().reset();
  }

  @Test
  void selectRunsOnAReplica() {
    assertThat(psql.commands("select pg_is_in_recovery()").requireSuccess().stdout()).isEqualTo("t\n");
  }

  @Test
  void insertRunsOnThePrimary() throws SQLException {
    ExternalCommand.Result result = psql.commands("insert into psql_rows values (-1, 'from psql')").requireSuccess();
    assertThat(result.stdout()).isEqualTo("INSERT 0 1\n");
    try (Connection primary = cluster.connectDirectly(cluster.primary())) {
      assertThat(Sql.scalar(primary, "SELECT label FROM psql_rows WHERE id = -1")).isEqualTo("from psql");
    }
  }

  @Test
  void multiStatementCommandReturnsEveryResult() {
    ExternalCommand.Result result = psql.commands("select 1; select 2").requireSuccess();
    // psql 15 and later print every result of a multi-statement string; older ones only the last.
    assertThat(result.stdout()).endsWith("2\n");
    assertThat(result.stderr()).isEmpty();
  }

  @Test
  void copyInGoesToThePrimaryAndCopyOutFromAReplicaReturnsTheSameRows(@TempDir Path directory)
      throws IOException, SQLException {
    List<String> rows = IntStream.rangeClosed(1, 50).mapToObj(i -> i + ",row " + i).toList();
    Path in = Files.write(directory.resolve("in.csv"), rows);
    Path out = directory.resolve("out.csv");

    assertThat(psql.commands("\\copy psql_rows from '" + in + "' csv").requireSuccess().stdout())
        .isEqualTo("COPY 50\n");
    assertThat(StatementStats.calls(cluster.primary(), "COPY%psql_rows%FROM STDIN%")).isEqualTo(1);

    Replication.awaitReplicasCaughtUp(cluster.cluster());
    psql.commands("\\copy (select * from psql_rows where id > 0 order by id) to '" + out + "' csv").requireSuccess();
    assertThat(Files.readAllLines(out)).isEqualTo(rows);
    assertThat(cluster.statementStats().callsOnReplicas("COPY%psql_rows%TO STDOUT%")).isEqualTo(1);
    assertThat(StatementStats.calls(cluster.primary(), "COPY%psql_rows%TO STDOUT%")).isZero();
  }

  /** psql -f sends one Query per statement; their answers, from alternating replicas, arrive in order. */
  @Test
  void scriptFileGetsItsAnswersInOrder(@TempDir Path directory) throws IOException {
    Path script = Files.writeString(directory.resolve("script.sql"), IntStream.rangeClosed(1, 5)
        .mapToObj(i -> "select " + i + ";\n").collect(Collectors.joining()));
    assertThat(psql.file(script).requireSuccess().stdout()).isEqualTo("1\n2\n3\n4\n5\n");
  }
}
