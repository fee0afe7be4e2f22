package io.pgsplit.cluster;

import java.util.List;

/**
 * A primary and its streaming replicas, each a {@link PgNode} on a loopback address, with the superuser and an
 * application user that owns database {@value #APP_DATABASE}. Closing it stops and removes every server.
 */
public interface PgCluster extends AutoCloseable {
  /** The database created for, and owned by, the application user. */
  String APP_DATABASE = AppDatabase.NAME;

  /** The node started as primary. After a promotion, find the current one with {@link PgNode#isInRecovery()}. */
  default PgNode primary() {
    return nodes().get(0);
  }

  /** The nodes started as replicas. */
  default List<PgNode> replicas() {
    return nodes().subList(1, nodes().size());
  }

  /** All nodes, the one started as primary first. */
  List<PgNode> nodes();

  /** The node listening on {@code port}, i.e. the one whose inet_server_port() a client saw. */
  default PgNode nodeListeningOn(int port) {
    return nodes().stream().filter(node -> node.port() == port).findFirst()
        .orElseThrow(() -> new AssertionError("no node of the cluster listens on port " + port));
  }

  String superuser();

  String superuserPassword();

  String appUser();

  String appPassword();

  /** Stops every server and removes what the cluster made; safe to call more than once. */
  @Override
  void close();
}
