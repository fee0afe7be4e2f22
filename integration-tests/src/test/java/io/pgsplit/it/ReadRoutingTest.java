package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(ClusterExtension.class)
@Timeout(60)
class ReadRoutingTest {
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) {
    cluster = shared;
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void plainSelectRunsOnAReplica(JdbcMode mode) throws SQLException {
    try (Connection connection = cluster.connect(mode)) {
      assertThat(Sql.scalar(connection, "SELECT pg_is_in_recovery()")).isEqualTo("t");
      assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
    }
  }

  @ParameterizedTest
  @EnumSource(JdbcMode.class)
  void twentySelectsOnOneConnectionAreSpreadOverBothReplicas(JdbcMode mode) throws SQLException {
    List<String> servedBy = new ArrayList<>();
    try (Connection connection = cluster.connect(mode)) {
      for (int i = 0; i < 20; i++) {
        servedBy.add(cluster.where(connection));
      }
    }
    Map<String, Long> perNode = servedBy.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(perNode).as("selects per node: %s", servedBy).containsOnlyKeys(cluster.replicaNames());
    // Round robin over two replicas; a little slack in case anything else drew from the shared rotation.
    assertThat(perNode.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(5));
  }
}
