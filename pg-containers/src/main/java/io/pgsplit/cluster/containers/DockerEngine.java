package io.pgsplit.cluster.containers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the Docker engine named by {@code DOCKER_HOST} whether it answers, before Testcontainers is touched: an
 * absent engine then costs one clear line instead of Testcontainers' search through every strategy, and the API
 * version the engine speaks is known. Testcontainers 1.21 asks for API 1.44 when none is set, which a Docker 20.10
 * engine (1.41) refuses, so {@link #configureTestcontainers} sets the engine's own version.
 */
public final class DockerEngine {
  public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
  /** Set by the Maven builds that run containers; Ryuk's image would have to be pulled, and nothing may be. */
  static final String RYUK_DISABLED = "TESTCONTAINERS_RYUK_DISABLED";
  /** The newest API version asked for: what Testcontainers 1.21 itself would use. */
  private static final String NEWEST_API_VERSION = "1.44";
  private static final long TIMEOUT_SECONDS = 5;
  private static final Pattern API_VERSION = Pattern.compile("\"ApiVersion\"\\s*:\\s*\"(\\d+\\.\\d+)\"");
  private static final Pattern STATUS_LINE = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");

  private DockerEngine() {}

  /** What the probe found: an engine and its API version, or why the container path cannot run. */
  public record Probe(String host, String apiVersion, String problem) {
    public boolean answers() {
      return problem == null;
    }

    /** One line for a log: what answers, or what does not and why. */
    public String describe() {
      return answers() ? "Docker engine at " + host + " (API " + apiVersion + ")"
          : "no usable Docker engine at " + host + ": " + problem;
    }
  }

  /** Probes the engine this process's environment names. */
  public static Probe probe() {
    return probe(System.getenv());
  }

  static Probe probe(Map<String, String> environment) {
    String host = environment.getOrDefault("DOCKER_HOST", DEFAULT_HOST);
    if (!"true".equalsIgnoreCase(environment.get(RYUK_DISABLED))) {
      return new Probe(host, null, RYUK_DISABLED + " is not true (Testcontainers would pull its Ryuk image)");
    }
    if (!host.startsWith("unix://")) {
      return new Probe(host, null, "only unix:// sockets are supported");
    }
    try {
      String response = exchange(Path.of(host.substring("unix://".length())));
      return parseVersionResponse(host, response);
    } catch (IOException | ExecutionException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      return new Probe(host, null, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    } catch (TimeoutException e) {
      return new Probe(host, null, "no answer within " + TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(host, null, "interrupted");
    }
  }

  static Probe parseVersionResponse(String host, String response) {
    Matcher status = STATUS_LINE.matcher(response);
    if (!status.find()) {
      return new Probe(host, null, "not an HTTP answer: " + firstLine(response));
    }
    if (!"200".equals(status.group(1))) {
      return new Probe(host, null, "GET /version answered " + firstLine(response));
    }
    Matcher version = API_VERSION.matcher(response);
    if (!version.find()) {
      return new Probe(host, null, "GET /version named no ApiVersion");
    }
    return new Probe(host, version.group(1), null);
  }

  /**
   * Makes Testcontainers speak the engine's API version (at most {@value #NEWEST_API_VERSION}) unless the user chose
   * one with {@code -Dapi.version}.
   */
  public static synchronized void configureTestcontainers(Probe probe) {
    if (System.getProperty("api.version") == null && probe.answers()) {
      System.setProperty("api.version", olderOf(probe.apiVersion(), NEWEST_API_VERSION));
    }
  }

  static String olderOf(String a, String b) {
    return compareVersions(a, b) <= 0 ? a : b;
  }

  private static int compareVersions(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    int major = Integer.compare(Integer.parseInt(left[0]), Integer.parseInt(right[0]));
    return major != 0 ? major : Integer.compare(Integer.parseInt(left[1]), Integer.parseInt(right[1]));
  }

  /** GET /version over the socket, HTTP/1.0 so that the engine closes the connection after its answer. */
  private static String exchange(Path socket) throws IOException, InterruptedException, ExecutionException,
      TimeoutException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try (channel) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap("GET /version HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      // A socket channel has no read time-out: the read runs elsewhere and closing the channel ends it.
      return CompletableFuture.supplyAsync(() -> readAll(channel)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private static String readAll(SocketChannel channel) {
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    try {
      while (channel.read(buffer) >= 0) {
        response.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return response.toString(StandardCharsets.UTF_8);
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).trim();
  }
}
