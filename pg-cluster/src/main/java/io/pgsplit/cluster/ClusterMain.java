package io.pgsplit.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Starts a cluster for shell scripts: {@code ClusterMain [--replicas N] [--env-file F]}. Prints
 * {@code PRIMARY_PORT=}, {@code REPLICA_PORTS=} and {@code PGDATA_BASE=} lines (also written to F), then keeps the
 * cluster up until standard input closes or the process gets SIGTERM/SIGINT, and stops it.
 */
public final class ClusterMain {
  private static final String USAGE = "usage: ClusterMain [--replicas N] [--env-file FILE]";

  private ClusterMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int replicas = 2;
    Path envFile = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value != null && args[i].equals("--replicas")) {
        replicas = Integer.parseInt(value);
      } else if (value != null && args[i].equals("--env-file")) {
        envFile = Path.of(value);
      } else {
        System.err.println(USAGE);
        System.exit(2);
      }
      i++;
    }
    LocalPgCluster cluster = LocalPgCluster.builder().replicas(replicas).start();
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "pgsplit-cluster-stop"));
    List<String> environment = environmentLines(cluster);
    environment.forEach(System.out::println);
    System.out.flush();
    if (envFile != null) {
      writeAtomically(envFile, environment);
    }
    awaitEndOfInput();
    cluster.close();
  }

  static List<String> environmentLines(LocalPgCluster cluster) {
    return List.of(
        "PRIMARY_PORT=" + cluster.primary().port(),
        "REPLICA_PORTS=" + cluster.replicas().stream().map(node -> String.valueOf(node.port()))
            .collect(Collectors.joining(",")),
        "PGDATA_BASE=" + cluster.baseDirectory());
  }

  /** Scripts poll for the file; it must never be seen half-written. */
  private static void writeAtomically(Path file, List<String> lines) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path temp = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
    Files.write(temp, lines);
    Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Returns when standard input closes. A background job in a script gets /dev/null as input, which "closes" at
   * once; then only a signal ends the process (the shutdown hook stops the cluster).
   */
  private static void awaitEndOfInput() throws IOException, InterruptedException {
    if (stdinIsDevNull()) {
      new CountDownLatch(1).await();
    }
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // Input is ignored; only its end matters.
    }
  }

  private static boolean stdinIsDevNull() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/fd/0")).equals(Path.of("/dev/null"));
    } catch (IOException e) {
      return true;
    }
  }
}
