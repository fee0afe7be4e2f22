package io.pgsplit.it.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgsplit.cluster.FreePorts;
import io.pgsplit.cluster.PgCluster;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unauthenticated client whose startup values hold line breaks and terminal escapes, against pgsplit as an
 * operator runs it (its own JVM, the shipped logback.xml): the log shows the values escaped on the event's own line,
 * and no line of it is one the client wrote.
 */
@Timeout(120)
class LogForgingTest {
  private static final Path LOGS = Path.of("target", "pgsplit-process-logs");
  private static final Duration LOG_WAIT = Duration.ofSeconds(30);
  private static final String FORGED_USER = "x\nuser \"admin\" authenticated";
  private static final Pattern EVENT_START = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*");
  private static OperationsCluster cluster;

  @TempDir
  static Path directory;

  @BeforeAll
  static void startCluster() {
    cluster = OperationsCluster.start(LogForgingTest.class);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void startupValuesWithLineBreaksCannotForgeALogLine() throws Exception {
    int port = FreePorts.pick();
    Path config = directory.resolve("pgsplit.yaml");
    cluster.proxyConfig(cluster.primary(), cluster.firstReplica()).listenOn(port).writeTo(config);
    try (PgSplitProcess pgsplit = PgSplitProcess.start(config, LOGS.resolve("logForging.log"))) {
      // 28P01, or a client-side login timeout on a loaded machine: the log line is what counts.
      assertThat(catchThrowable(() -> login(port, FORGED_USER))).isInstanceOf(SQLException.class);
      pgsplit.awaitLog("authentication failed for user", LOG_WAIT);

      List<String> lines = pgsplit.log().lines().toList();
      assertThat(lines).filteredOn(line -> line.contains("authentication failed for user")).singleElement()
          .asString().contains("authentication failed for user \"x\\nuser \\\"admin\\\" authenticated\"");
      assertThat(lines).as("no line begins with what the client wrote")
          .noneMatch(line -> line.startsWith("user \"admin\""));
      assertThat(lines).as("every line is a log event of pgsplit's or an indented part of one")
          .allMatch(line -> EVENT_START.matcher(line).matches() || line.startsWith("\t"));
    }
  }

  @Test
  void theJsonLayoutKeepsEachEventOnOneLineWithTheValueIntact() throws Exception {
    int port = FreePorts.pick();
    Path config = directory.resolve("pgsplit-json.yaml");
    cluster.proxyConfig(cluster.primary(), cluster.firstReplica()).listenOn(port).writeTo(config);
    try (PgSplitProcess pgsplit = JvmPgSplitProcess.start(config, LOGS.resolve("logForgingJson.log"),
        Map.of("PGSPLIT_LOG_FORMAT", "json"))) {
      assertThat(catchThrowable(() -> login(port, FORGED_USER))).isInstanceOf(SQLException.class);
      pgsplit.awaitLog("authentication failed for user", LOG_WAIT);

      ObjectMapper json = new ObjectMapper();
      List<JsonNode> events = new ArrayList<>();
      for (String line : pgsplit.log().lines().toList()) {
        events.add(json.readTree(line)); // fails on any line that is not a whole JSON object
      }
      assertThat(events).filteredOn(event -> event.get("message").asText().contains("authentication failed"))
          .singleElement().satisfies(event -> assertThat(event.get("formattedMessage").asText())
              .contains("for user \"x\\nuser \\\"admin\\\" authenticated\""));
    }
  }

  private static void login(int port, String user) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", "guess");
    properties.setProperty("ApplicationName", "app\r\n\u001b[2Jforged");
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "30");
    DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + PgCluster.APP_DATABASE, properties)
        .close();
  }
}
