package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsplit.proxy.PgSplitServer;
import io.pgsplit.proxy.metrics.RouteCount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests that once left their client waiting forever: each must be answered, and run where it belongs, once.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(90)
class SessionHangRegressionTest {
  private static ProxiedCluster cluster;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    cluster.setUpOnPrimary("DROP TABLE IF EXISTS hang_t", "CREATE TABLE hang_t (x int)", "INSERT INTO hang_t VALUES (1), (2)");
  }

  /**
   * Over 16 KiB the classifier does not cache its answer. The session used to parse such a text again every time
   * it resumed after the parse, and the client (psql here, one simple Query) never got an answer.
   */
  @Test
  void uncachedLockingReadSentByPsqlIsAnsweredOnThePrimaryOnce() throws SQLException, IOException {
    String comment = "/* " + "padding ".repeat(2_200) + "*/";
    String sql = "SELECT x FROM hang_t " + comment + " WHERE x IN (SELECT x FROM hang_t) ORDER BY x FOR UPDATE";
    assertThat(sql.length()).isGreaterThan(17_000);
    cluster.statementStats().reset();
    long before = routed(cluster.proxy(), "locking_read");

    ExternalCommand.Result result = new Psql(cluster.proxyAddress(), cluster.cluster().appUser(),
        cluster.cluster().appPassword()).file(script(sql)).requireSuccess();

    assertThat(result.stdout().lines().toList()).containsExactly("1", "2");
    assertThat(routed(cluster.proxy(), "locking_read") - before).isEqualTo(1);
    assertThat(cluster.statementStats().callsByNode("SELECT x FROM hang_t%FOR UPDATE"))
        .containsEntry(cluster.primary().name(), 1L);
    assertThat(cluster.statementStats().callsOnReplicas("SELECT x FROM hang_t%FOR UPDATE")).isZero();
  }

  /** A parse that times out sends its request to the primary as unparsed, once, instead of parsing it again. */
  @Test
  void requestWhoseParseTimesOutGoesToThePrimaryOnceAsUnparsed() throws IOException {
    String values = IntStream.rangeClosed(1, 30_000).mapToObj(Integer::toString).collect(Collectors.joining(","));
    String sql = "SELECT x FROM hang_t WHERE x IN (" + values + ") ORDER BY x FOR UPDATE";
    try (PgSplitServer proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(cluster.cluster()).parseTimeout("1ms"))) {
      ExternalCommand.Result result = new Psql(proxy.listenAddress(), cluster.cluster().appUser(),
          cluster.cluster().appPassword()).file(script(sql)).requireSuccess();

      assertThat(result.stdout().lines().toList()).containsExactly("1", "2");
      assertThat(routed(proxy, "unparsed")).isEqualTo(1);
    }
  }

  /**
   * A client may send its first request before the startup's ReadyForQuery arrives; the bytes reached the proxy
   * while it was still connecting to the first server, and were dropped when the session took over the channel.
   */
  @Test
  void requestSentBeforeTheFirstReadyForQueryIsAnswered() throws IOException {
    try (PgSplitServer proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(cluster.cluster()).authType("plain"));
        WireClient client = WireClient.connect(proxy.listenAddress())) {
      client.sendStartup(3, 0, cluster.cluster().appUser(), ProxiedCluster.DATABASE);
      assertThat(client.readMessage().authenticationCode()).isEqualTo(3);
      ByteArrayOutputStream passwordThenQuery = new ByteArrayOutputStream();
      passwordThenQuery.writeBytes(WireClient.message('p', WireClient.cString(cluster.cluster().appPassword())));
      passwordThenQuery.writeBytes(WireClient.message('Q', WireClient.cString("SELECT 6 * 7")));
      client.send(passwordThenQuery.toByteArray());

      client.readUntilReadyForQuery();
      List<BackendMessage> answer = client.readUntilReadyForQuery();

      assertThat(answer).filteredOn(message -> message.type() == 'D')
          .singleElement().extracting(BackendMessage::firstColumn).isEqualTo("42");
    }
  }

  /** psql sends a one-line script as one simple Query; a file keeps the text out of the command line and logs. */
  private static Path script(String sql) throws IOException {
    Path file = Files.createTempFile("pgsplit-hang-", ".sql");
    file.toFile().deleteOnExit();
    return Files.writeString(file, sql + ";\n");
  }

  private static long routed(PgSplitServer proxy, String reason) {
    return proxy.metrics().routeCounts().stream().filter(count -> count.reason().equals(reason))
        .mapToLong(RouteCount::count).sum();
  }
}
