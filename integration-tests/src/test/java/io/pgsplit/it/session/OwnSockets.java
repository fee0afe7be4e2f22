package io.pgsplit.it.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The TCP connections this test process itself holds to a port, from Linux's /proc: tells a backend that a closed
 * proxy left open (its socket is still here) from one whose server has not yet noticed the close.
 */
final class OwnSockets {
  private OwnSockets() {
  }

  /** Local ports of this process's TCP sockets connected to {@code remotePort}, or a note why they are unknown. */
  static String localPortsTo(int remotePort) {
    try {
      Set<String> inodes = ownSocketInodes();
      Set<Integer> ports = new TreeSet<>();
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length > 9 && fields[2].contains(":") && port(fields[2]) == remotePort && inodes.contains(fields[9])) {
            ports.add(port(fields[1]));
          }
        }
      }
      return ports.toString();
    } catch (IOException | RuntimeException e) {
      return "unknown (" + e + ")";
    }
  }

  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
  }

  private static Set<String> ownSocketInodes() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // an fd closed while listing
        }
      }
    }
    return inodes;
  }
}
