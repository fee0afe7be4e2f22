package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsplit.proxy.PgSplitServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * limits.max_buffered_bytes at 1 MB, with raw clients each sending a 900 kB Query in two halves: only one
 * fits at a time, the others stop being read (not failed) until it is through, and every one gets its answer.
 * A Query larger than the whole budget is refused with 53200 on its header, and other clients read on. CopyData
 * and large rows are streamed, so they pass however large.
 */
@ExtendWith(ClusterExtension.class)
@Timeout(120)
class MemoryBudgetTest {
  private static final long BUDGET = 1 << 20;
  private static final int QUERY_BYTES = 900_000;
  private static final String OUT_OF_MEMORY = "53200";
  private static ProxiedCluster cluster;
  private static PgSplitServer proxy;
  private static ExecutorService clients;

  @BeforeAll
  static void setUp(ProxiedCluster shared) {
    cluster = shared;
    proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(shared.cluster()).authType("plain").maxMessageSize("4MB")
        .limit("max_buffered_bytes", "1MB").limit("buffer_wait_timeout", "10s"));
    clients = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void tearDown() {
    if (clients != null) {
      clients.shutdownNow();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void clientsBeyondTheBudgetArePausedNotFailedAndAllGetTheirAnswers() throws Exception {
    double waitsBefore = sample("pgsplit_buffer_budget_waits_total");
    List<WireClient> wire = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        wire.add(loggedInClient());
      }
      byte[] query = WireClient.message('Q', WireClient.cString(selectLengthOf(QUERY_BYTES)));
      CountDownLatch restMayFollow = new CountDownLatch(1);
      List<CompletableFuture<String>> answers = new ArrayList<>();
      for (WireClient client : wire) {
        answers.add(CompletableFuture.supplyAsync(() -> sendInHalves(client, query, restMayFollow), clients));
      }
      await("three clients waiting for room in the budget").atMost(Duration.ofSeconds(10))
          .until(() -> sample("pgsplit_buffer_budget_waits_total") - waitsBefore >= 3);
      double highest = sample("pgsplit_buffered_bytes");

      restMayFollow.countDown();
      while (!CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).isDone()) {
        highest = Math.max(highest, sample("pgsplit_buffered_bytes"));
        Thread.sleep(2);
      }

      for (CompletableFuture<String> answer : answers) {
        assertThat(answer.get()).isEqualTo(String.valueOf(QUERY_BYTES - overhead()));
      }
      assertThat(highest).as("highest pgsplit_buffered_bytes seen").isPositive().isLessThanOrEqualTo(BUDGET);
      assertThat(sample("pgsplit_buffered_bytes")).isZero();
    } finally {
      for (WireClient client : wire) {
        client.close();
      }
    }
  }

  @Test
  void aQueryLargerThanTheWholeBudgetIsRefusedWith53200OnItsHeaderAndOthersReadOn() throws Exception {
    BackgroundReads reads = BackgroundReads.start(ProxiedCluster.jdbcUrl(proxy.listenAddress()),
        cluster.cluster().appUser(), cluster.cluster().appPassword());
    try (WireClient greedy = loggedInClient(); WireClient modest = loggedInClient()) {
      await("the background client's first reads").atMost(Duration.ofSeconds(10))
          .until(() -> reads.replicaReads() >= 3);
      greedy.sendHeader('Q', 2 << 20);
      greedy.assertFatalThenClosed(OUT_OF_MEMORY);

      modest.sendQuery(selectLengthOf(QUERY_BYTES));
      assertThat(dataRow(modest.readUntilReadyForQuery())).isEqualTo(String.valueOf(QUERY_BYTES - overhead()));
    } finally {
      BackgroundReads.Outcome outcome = reads.stop();
      assertThat(outcome.problems()).as("problems of the background client").isEmpty();
    }
    assertThat(sample("pgsplit_buffered_bytes")).isZero();
  }

  /** A client that stalls halfway holds its reservation; the one waiting behind it gives up after the timeout. */
  @Test
  void aClientStillWaitingAfterTheBufferWaitTimeoutGets53200() throws Exception {
    byte[] query = WireClient.message('Q', WireClient.cString(selectLengthOf(QUERY_BYTES)));
    try (WireClient stalled = loggedInClient(); WireClient waiting = loggedInClient()) {
      stalled.send(Arrays.copyOf(query, query.length / 2));
      await("the stalled client's reservation").atMost(Duration.ofSeconds(10))
          .until(() -> sample("pgsplit_buffered_bytes") >= QUERY_BYTES);
      long start = System.nanoTime();
      CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> send(waiting, query), clients);

      BackendMessage error = readWithin(waiting, Duration.ofSeconds(30));
      assertThat(error.type()).as("answer: %s", error).isEqualTo('E');
      assertThat(error.sqlState()).isEqualTo(OUT_OF_MEMORY);
      assertThat(error.field('M')).contains("limits.max_buffered_bytes");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(9));
      sent.handle((done, failure) -> null).get(10, TimeUnit.SECONDS); // the proxy may close before all is sent

      stalled.send(Arrays.copyOfRange(query, query.length / 2, query.length));
      assertThat(dataRow(stalled.readUntilReadyForQuery())).isEqualTo(String.valueOf(QUERY_BYTES - overhead()));
    }
  }

  /** One CopyData message of 3 MB, three times the budget: it streams to the primary instead of being buffered. */
  @Test
  void aCopyDataMessageLargerThanTheBudgetStreamsToTheServer() throws Exception {
    cluster.setUpOnPrimary("DROP TABLE IF EXISTS budget_copy", "CREATE TABLE budget_copy (line text)");
    byte[] row = ("z".repeat(3_000_000) + "\n").getBytes(StandardCharsets.UTF_8);
    try (Connection connection = connectThroughProxy()) {
      CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY budget_copy FROM STDIN");
      copy.writeToCopy(row, 0, row.length); // pgjdbc sends one CopyData message per call
      assertThat(copy.endCopy()).isEqualTo(1);
    }
    try (Connection connection = cluster.connectDirectly(cluster.primary());
        Statement statement = connection.createStatement();
        ResultSet length = statement.executeQuery("SELECT length(line) FROM budget_copy")) {
      assertThat(length.next()).isTrue();
      assertThat(length.getInt(1)).isEqualTo(3_000_000);
    }
  }

  /** A 3 MB DataRow goes to the client in the parts it arrives in, intact. */
  @Test
  void aLargeRowReachesTheClientIntact() throws Exception {
    try (Connection connection = connectThroughProxy();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT repeat('ab', 1500000) || 'end'")) {
      assertThat(row.next()).isTrue();
      String value = row.getString(1);
      assertThat(value).hasSize(3_000_003).startsWith("abab").endsWith("abend");
    }
  }

  private static Connection connectThroughProxy() throws SQLException {
    return DriverManager.getConnection(ProxiedCluster.jdbcUrl(proxy.listenAddress()), cluster.cluster().appUser(),
        cluster.cluster().appPassword());
  }

  /** A Query message of exactly {@code messageBytes} whose answer is the length of its literal. */
  private static String selectLengthOf(int messageBytes) {
    String head = "SELECT length('";
    String tail = "')";
    return head + "x".repeat(messageBytes - overhead()) + tail;
  }

  /** Type, length, SELECT length('...') and the terminating zero. */
  private static int overhead() {
    return 1 + 4 + "SELECT length('".length() + "')".length() + 1;
  }

  private static String sendInHalves(WireClient client, byte[] query, CountDownLatch restMayFollow) {
    try {
      client.send(Arrays.copyOf(query, query.length / 2));
      restMayFollow.await();
      client.send(Arrays.copyOfRange(query, query.length / 2, query.length));
      return dataRow(client.readUntilReadyForQuery());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void send(WireClient client, byte[] bytes) {
    try {
      client.send(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The next message, allowing longer than WireClient's own read deadline. */
  private static BackendMessage readWithin(WireClient client, Duration limit) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        return client.readMessage();
      } catch (java.net.SocketTimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private static String dataRow(List<BackendMessage> answer) {
    return answer.stream().filter(message -> message.type() == 'D').findFirst().orElseThrow().firstColumn();
  }

  /** A sample of an unlabelled series in the proxy's scrape. */
  private static double sample(String series) {
    return proxy.metrics().scrape().lines().filter(line -> line.startsWith(series + " ")).findFirst()
        .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError("no " + series + " in the scrape"));
  }

  private static WireClient loggedInClient() throws IOException {
    return WireClient.loggedIn(proxy.listenAddress(), cluster.cluster().appUser(), cluster.cluster().appPassword());
  }

}
