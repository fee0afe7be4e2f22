package io.pgsplit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsplit.proxy.PgSplitServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed and unusual input on bare sockets. Each connection gets PostgreSQL's answer (08P01 and a closed
 * connection for a broken frame), while a well-behaved pgjdbc client on the same proxy reads on undisturbed.
 * The proxy here takes cleartext passwords, so the raw client can log in without implementing SCRAM, and limits
 * messages to 1 MB.
 */
@ExtendWith(ClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class ProtocolAbuseTest {
  private static final String PROTOCOL_VIOLATION = "08P01";
  private static final int MAX_MESSAGE_SIZE = 1 << 20;
  private static ProxiedCluster cluster;
  private static PgSplitServer proxy;
  private static BackgroundReads backgroundReads;

  @BeforeAll
  static void setUp(ProxiedCluster shared) throws SQLException {
    cluster = shared;
    cluster.statementStats().reset();
    proxy = ProxiedCluster.startProxy(ProxyYaml.forCluster(shared.cluster()).authType("plain").maxMessageSize("1MB"));
    backgroundReads = BackgroundReads.start(ProxiedCluster.jdbcUrl(proxy.listenAddress()),
        shared.cluster().appUser(), shared.cluster().appPassword());
    await("the background client's first reads").atMost(Duration.ofSeconds(10))
        .until(() -> backgroundReads.replicaReads() >= 3);
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    if (backgroundReads != null) {
      backgroundReads.stop();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void startupPacketLongerThan10000BytesIsRefusedWith08P01() throws IOException {
    try (WireClient client = WireClient.connect(proxy.listenAddress())) {
      client.send(ByteBuffer.allocate(108).putInt(20_000).putInt(WireClient.PROTOCOL_3_0).array());
      client.assertFatalThenClosed(PROTOCOL_VIOLATION);
    }
  }

  @Test
  void startupPacketWithLength3IsRefusedWith08P01() throws IOException {
    try (WireClient client = WireClient.connect(proxy.listenAddress())) {
      client.send(new byte[] {0, 0, 0, 3, 'x', 'y', 'z', 0});
      client.assertFatalThenClosed(PROTOCOL_VIOLATION);
    }
  }

  @Test
  void unknownMessageTypeAfterLoginIsRefusedWith08P01() throws IOException {
    try (WireClient client = loggedInClient()) {
      client.sendMessage('!', new byte[0]);
      client.assertFatalThenClosed(PROTOCOL_VIOLATION);
    }
  }

  @Test
  void messageLengthBelowFourIsRefusedWith08P01() throws IOException {
    try (WireClient client = loggedInClient()) {
      client.sendHeader('Q', 2);
      client.assertFatalThenClosed(PROTOCOL_VIOLATION);
    }
  }

  /** Only the header is sent: the proxy must refuse on the announced length, not wait for 2 MB to arrive. */
  @Test
  void messageLargerThanMaxMessageSizeIsRefusedBeforeItsBodyArrives() throws IOException {
    try (WireClient client = loggedInClient()) {
      client.sendHeader('Q', 2 * MAX_MESSAGE_SIZE);
      client.assertFatalThenClosed(PROTOCOL_VIOLATION);
    }
  }

  @Test
  void sslRequestIsDeclinedWithNAndAPlainStartupFollows() throws IOException {
    try (WireClient client = WireClient.connect(proxy.listenAddress())) {
      client.sendSslRequest();
      assertThat((char) client.readByte()).isEqualTo('N');
      client.loginWithCleartextPassword(cluster.cluster().appUser(), cluster.cluster().appPassword());
      assertReadsOnAReplica(client);
    }
  }

  @Test
  void protocol32StartupIsNegotiatedDownTo30AndAuthenticationFollows() throws IOException {
    try (WireClient client = WireClient.connect(proxy.listenAddress())) {
      client.sendStartup(3, 2, cluster.cluster().appUser(), ProxiedCluster.DATABASE);
      BackendMessage negotiation = client.readMessage();
      assertThat(negotiation.type()).as("first answer: %s", negotiation).isEqualTo('v');
      assertThat(negotiation.negotiatedMinorVersion()).isZero();
      client.answerCleartextPasswordRequest(client.readMessage(), cluster.cluster().appPassword());
      assertReadsOnAReplica(client);
    }
  }

  @Test
  void protocol4StartupIsRefusedWith0A000() throws IOException {
    try (WireClient client = WireClient.connect(proxy.listenAddress())) {
      client.sendStartup(4, 0, cluster.cluster().appUser(), ProxiedCluster.DATABASE);
      client.assertFatalThenClosed("0A000");
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void concurrentClientWasUndisturbedAndNoWriteReachedAReplica() throws InterruptedException, SQLException {
    BackgroundReads.Outcome outcome = backgroundReads.stop();
    assertThat(outcome.problems()).as("problems of the background client").isEmpty();
    assertThat(outcome.replicaReads()).isGreaterThan(3);
    for (String write : List.of("INSERT%", "UPDATE%", "DELETE%")) {
      assertThat(cluster.statementStats().callsOnReplicas(write)).as("%s on replicas", write).isZero();
    }
  }

  private static WireClient loggedInClient() throws IOException {
    return WireClient.loggedIn(proxy.listenAddress(), cluster.cluster().appUser(), cluster.cluster().appPassword());
  }


  private static void assertReadsOnAReplica(WireClient client) throws IOException {
    client.sendQuery("SELECT pg_is_in_recovery()");
    List<BackendMessage> answer = client.readUntilReadyForQuery();
    assertThat(answer).filteredOn(message -> message.type() == 'D').singleElement()
        .extracting(BackendMessage::firstColumn).isEqualTo("t");
  }
}
