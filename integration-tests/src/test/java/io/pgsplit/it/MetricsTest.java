package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The routing counters in the Prometheus scrape agree with where statements ran. */
@ExtendWith(ClusterExtension.class)
@Timeout(60)
class MetricsTest {
  private static final Pattern STATEMENTS_SAMPLE =
      Pattern.compile("^pgsplit_statements_total\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary(
        "DROP TABLE IF EXISTS metrics_rows",
        "CREATE TABLE metrics_rows (id int)");
  }

  /** Own traffic first, so the assertion holds whichever test classes ran before. */
  @Test
  void scrapeCountsReadsOnReplicasAndWritesOnThePrimary() throws SQLException {
    try (Connection connection = cluster.connect(); Statement statement = connection.createStatement()) {
      assertThat(cluster.where(connection)).isIn(cluster.replicaNames());
      assertThat(statement.executeUpdate("INSERT INTO metrics_rows VALUES (1)")).isEqualTo(1);
    }
    String scrape = cluster.proxy().metrics().scrape();
    assertThat(scrape).contains("pgsplit_statements_total{");
    List<Sample> samples = statementSamples(scrape);

    assertThat(samples).as(scrape).anySatisfy(sample -> {
      assertThat(sample.labels()).containsEntry("reason", "read").containsEntry("role", "replica");
      assertThat(sample.labels().get("server")).isIn(cluster.replicaNames());
      assertThat(sample.value()).isPositive();
    });
    assertThat(samples).as(scrape).anySatisfy(sample -> {
      assertThat(sample.labels()).containsEntry("reason", "write").containsEntry("role", "primary")
          .containsEntry("server", cluster.primary().name());
      assertThat(sample.value()).isPositive();
    });
    assertThat(samples).as("no read counted on the primary while replicas were up").noneSatisfy(sample ->
        assertThat(sample.labels()).containsEntry("reason", "read").containsEntry("role", "primary"));
  }

  private record Sample(Map<String, String> labels, double value) {}

  private static List<Sample> statementSamples(String scrape) {
    Matcher matcher = STATEMENTS_SAMPLE.matcher(scrape);
    List<Sample> samples = new ArrayList<>();
    while (matcher.find()) {
      Map<String, String> labels = Arrays.stream(matcher.group(1).split(","))
          .map(pair -> pair.split("=", 2))
          .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1].replace("\"", "")));
      samples.add(new Sample(labels, Double.parseDouble(matcher.group(2))));
    }
    return samples;
  }
}
