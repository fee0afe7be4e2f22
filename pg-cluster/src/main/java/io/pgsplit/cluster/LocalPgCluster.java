package io.pgsplit.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL cluster on this machine: one primary and N streaming replicas, each its own server process
 * listening on 127.0.0.1. Closing it stops every server and removes the directory if the harness created it.
 */
public final class LocalPgCluster implements PgCluster {
  private static final Logger log = LoggerFactory.getLogger(LocalPgCluster.class);

  private final BaseDirectory baseDirectory;
  private final PgBinaries binaries;
  private final Credentials superuser;
  private final Credentials app;
  private final List<LocalPgNode> nodes;
  private final Optional<Path> logDirectory;
  private boolean closed;

  LocalPgCluster(BaseDirectory baseDirectory, PgBinaries binaries, ClusterSpec spec, List<LocalPgNode> nodes) {
    this.baseDirectory = baseDirectory;
    this.binaries = binaries;
    this.superuser = spec.superuser();
    this.app = spec.app();
    this.nodes = List.copyOf(nodes);
    this.logDirectory = Optional.ofNullable(spec.logDirectory());
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<PgNode> nodes() {
    return List.copyOf(nodes);
  }

  /** The nodes as the processes of this machine they are, for what only those have (pids, data directories). */
  List<LocalPgNode> localNodes() {
    return nodes;
  }

  /** Where {@code node} keeps its files, for tests that edit a node's configuration. */
  public Path dataDirectory(PgNode node) {
    for (LocalPgNode local : nodes) {
      if (local == node) {
        return local.dataDirectory();
      }
    }
    throw new IllegalArgumentException(node.name() + " is not a node of this cluster");
  }

  public Path baseDirectory() {
    return baseDirectory.path();
  }

  public PgBinaries binaries() {
    return binaries;
  }

  @Override
  public String superuser() {
    return superuser.user();
  }

  @Override
  public String superuserPassword() {
    return superuser.password();
  }

  @Override
  public String appUser() {
    return app.user();
  }

  @Override
  public String appPassword() {
    return app.password();
  }

  /**
   * Stops replicas, then the primary (each fast, then immediate, then SIGKILL; suspended nodes are resumed first),
   * copies the server logs to the log directory if one was given, and deletes the base directory if the harness
   * created it. Safe to call more than once.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).shutDown();
    }
    logDirectory.ifPresent(this::copyLogsTo);
    if (baseDirectory.createdByHarness()) {
      try {
        FileTrees.delete(baseDirectory.path());
      } catch (IOException e) {
        log.warn("Could not delete {}", baseDirectory.path(), e);
      }
    }
  }

  private void copyLogsTo(Path directory) {
    try {
      Files.createDirectories(directory);
      for (LocalPgNode node : nodes) {
        if (Files.exists(node.logFile())) {
          Files.copy(node.logFile(), directory.resolve(node.name() + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      log.warn("Could not copy server logs to {}", directory, e);
    }
  }

  @Override
  public String toString() {
    return "LocalPgCluster" + nodes + " in " + baseDirectory.path();
  }

  /** Configures and starts a {@link LocalPgCluster}. */
  public static final class Builder {
    private int replicas = 2;
    private Path baseDirectory;
    private String superuserPassword = "postgres";
    private Credentials app = new Credentials("app", "app");
    private final Map<String, String> settings = new LinkedHashMap<>();
    private PgBinaries binaries;
    private Path logDirectory;
    private ClusterSpec.TlsFiles tls;

    private Builder() {}

    /**
     * Every node runs with {@code ssl=on}, serving this PEM certificate chain and key (copied into each data
     * directory), and its pg_hba.conf accepts TCP connections only as {@code hostssl}: plaintext is refused, as on
     * managed PostgreSQL services that require TLS. The harness's own connections use TLS then too.
     */
    public Builder tls(Path certificateChain, Path privateKey) {
      this.tls = new ClusterSpec.TlsFiles(Objects.requireNonNull(certificateChain), Objects.requireNonNull(privateKey));
      return this;
    }

    /** Number of streaming replicas; default 2. */
    public Builder replicas(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("replicas must not be negative: " + count);
      }
      this.replicas = count;
      return this;
    }

    /** Where the node directories go; default a fresh temp directory, removed on close. */
    public Builder baseDirectory(Path directory) {
      this.baseDirectory = Objects.requireNonNull(directory);
      return this;
    }

    /** Password of superuser "postgres"; default "postgres". */
    public Builder superuserPassword(String password) {
      this.superuserPassword = Objects.requireNonNull(password);
      return this;
    }

    /** Login role that owns database "app" and is granted pg_monitor and pg_read_all_stats; default app/app. */
    public Builder appUser(String name, String password) {
      this.app = new Credentials(Objects.requireNonNull(name), Objects.requireNonNull(password));
      return this;
    }

    /** An extra postgresql.conf setting for every node; it overrides the harness's own. */
    public Builder setting(String name, String value) {
      settings.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    /** The PostgreSQL installation to run; default {@link PgBinaries#locate()}. */
    public Builder binaries(PgBinaries binaries) {
      this.binaries = Objects.requireNonNull(binaries);
      return this;
    }

    /** Copies every server log here (as {@code <node>.log}) when the cluster closes, so it outlives a temp dir. */
    public Builder logTo(Path directory) {
      this.logDirectory = Objects.requireNonNull(directory);
      return this;
    }

    /**
     * Starts the primary and the replicas and returns once every replica is streaming.
     *
     * @throws ClusterStartException with the relevant server log tail; whatever had started is stopped again
     */
    public LocalPgCluster start() {
      ClusterSpec spec = new ClusterSpec(replicas, baseDirectory, new Credentials(PgNode.SUPERUSER, superuserPassword),
          app, Map.copyOf(settings), binaries, logDirectory, tls);
      return new ClusterLauncher(spec).launch();
    }
  }
}
