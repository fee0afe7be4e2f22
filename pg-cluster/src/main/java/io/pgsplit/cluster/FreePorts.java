package io.pgsplit.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out free loopback TCP ports for servers. Ports come from 20000..32000 and never from the kernel's
 * ephemeral range: a client probing a stopped server's port inside that range can connect to itself through TCP
 * simultaneous open and mistake itself for the server.
 */
public final class FreePorts {
  static final int LOWEST = 20000;
  static final int HIGHEST = 32000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  /** A port nothing listens on now and that this JVM has not handed out before. */
  public static synchronized int pick() {
    int[] ephemeral = ephemeralRange();
    int span = HIGHEST - LOWEST + 1;
    // A random starting point keeps concurrent JVMs (parallel builds) from racing for the same ports.
    int offset = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = LOWEST + (offset + i) % span;
      boolean isEphemeral = port >= ephemeral[0] && port <= ephemeral[1];
      if (!isEphemeral && !HANDED_OUT.contains(port) && isFree(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IllegalStateException("No free loopback port in " + LOWEST + ".." + HIGHEST);
  }

  static int[] ephemeralRange() {
    try {
      String[] bounds = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
      return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
    } catch (IOException | RuntimeException e) {
      return new int[] {32768, 60999};
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // PostgreSQL binds with SO_REUSEADDR too, so a port in TIME_WAIT is usable for it.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
