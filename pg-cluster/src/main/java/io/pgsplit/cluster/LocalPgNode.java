package io.pgsplit.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One PostgreSQL server of a {@link LocalPgCluster}: its directories, its port, and its process. */
final class LocalPgNode implements PgNode {
  private static final Logger log = LoggerFactory.getLogger(LocalPgNode.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration INITDB_TIMEOUT = Duration.ofSeconds(120);
  private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  /** pg_ctl enforces its own -t timeout; the JVM waits a little longer so pg_ctl can report it. */
  private static final Duration PG_CTL_GRACE = Duration.ofSeconds(10);

  private final String name;
  private final int port;
  private final Path nodeDirectory;
  private final PgBinaries binaries;
  private final CommandRunner runner;
  private final String superuserPassword;
  private volatile boolean suspended;

  LocalPgNode(String name, int port, Path nodeDirectory, PgBinaries binaries, CommandRunner runner,
      String superuserPassword) {
    this.name = name;
    this.port = port;
    this.nodeDirectory = nodeDirectory;
    this.binaries = binaries;
    this.runner = runner;
    this.superuserPassword = superuserPassword;
  }

  /** "pg1", "pg2", …; also the node's cluster_name and, on a replica, its replication application_name. */
  @Override
  public String name() {
    return name;
  }

  @Override
  public String host() {
    return HOST;
  }

  @Override
  public int port() {
    return port;
  }

  /** The directory holding the data directory, the server log and the Unix socket. */
  Path nodeDirectory() {
    return nodeDirectory;
  }

  public Path dataDirectory() {
    return nodeDirectory.resolve("data");
  }

  @Override
  public Path logFile() {
    return nodeDirectory.resolve("server.log");
  }

  @Override
  public Connection connectAsSuperuser(String database) throws SQLException {
    return SuperuserLogin.connect(jdbcUrl(database), superuserPassword);
  }

  /** Starts the server and returns once it accepts connections (for a standby: once it is consistent). */
  @Override
  public void start() {
    removeStaleLockFiles();
    runner.run(name + " start", List.of(pgCtl(), "start", "-D", dataDirectory().toString(),
        "-l", logFile().toString(), "-w", "-t", seconds(START_TIMEOUT), "-s"), logFile(),
        START_TIMEOUT.plus(PG_CTL_GRACE));
    Await.until(name + " to accept connections", START_TIMEOUT, () -> {
      try (Connection connection = connectAsSuperuser()) {
        return connection.isValid(5);
      }
    }, () -> LogTail.of(logFile()));
  }

  /** Fast shutdown: disconnects clients, writes a shutdown checkpoint. Resumes a suspended server first. */
  @Override
  public void stop() {
    stop("fast");
  }

  /** Immediate shutdown: no checkpoint, crash recovery on the next start. Resumes a suspended server first. */
  @Override
  public void stopImmediate() {
    stop("immediate");
  }

  /**
   * SIGKILL to the postmaster and then to all of its children, so the whole server is gone at once, like on a
   * crashed host. Returns once none of those processes is alive (zombies count as dead).
   */
  @Override
  public void kill9() {
    long pid = postmasterPid();
    if (pid <= 0 || !OsProcesses.isAlive(pid)) {
      return;
    }
    List<Long> children = OsProcesses.descendants(pid);
    OsProcesses.signal("KILL", List.of(pid));
    OsProcesses.signal("KILL", children);
    suspended = false;
    Await.until(name + " processes to die", STOP_TIMEOUT,
        () -> !OsProcesses.isAlive(pid) && children.stream().noneMatch(OsProcesses::isAlive),
        () -> "postmaster " + pid + ", children " + children);
  }

  /** SIGSTOP to the postmaster and all of its children: the server still holds its port but answers nothing. */
  @Override
  public void suspend() {
    long pid = requireRunning();
    // The postmaster first, so that it forks no child we would miss.
    OsProcesses.signal("STOP", List.of(pid));
    OsProcesses.signal("STOP", OsProcesses.descendants(pid));
    suspended = true;
  }

  /** SIGCONT to everything {@link #suspend()} stopped. */
  @Override
  public void resume() {
    long pid = postmasterPid();
    if (pid > 0) {
      OsProcesses.signal("CONT", OsProcesses.descendants(pid));
      OsProcesses.signal("CONT", List.of(pid));
    }
    suspended = false;
  }

  /** Whether {@link #suspend()} froze the server and nothing has resumed, stopped or killed it since. */
  @Override
  public boolean isSuspended() {
    return suspended;
  }

  /** Promotes a standby and returns once it accepts writes. */
  @Override
  public void promote() {
    runner.run(name + " promote", List.of(pgCtl(), "promote", "-D", dataDirectory().toString(), "-w",
        "-t", seconds(START_TIMEOUT), "-s"), logFile(), START_TIMEOUT.plus(PG_CTL_GRACE));
    Await.until(name + " to leave recovery", START_TIMEOUT, () -> !isInRecovery(), () -> LogTail.of(logFile()));
  }

  /** Whether the postmaster named in postmaster.pid is alive; a suspended server is running. */
  @Override
  public boolean isRunning() {
    long pid = postmasterPid();
    return pid > 0 && OsProcesses.isAlive(pid);
  }

  /** The pid in postmaster.pid, or -1 when there is none. After {@link #kill9()} it is the dead postmaster's. */
  public long postmasterPid() {
    return pidIn(lockFile());
  }

  @Override
  public String toString() {
    return name + "@" + HOST + ":" + port;
  }

  /**
   * Creates the node directory and an empty log, both owned by the server account. The directory holds the Unix
   * socket, which trusts whoever reaches it, and the server log: it is private to the server account (0700).
   */
  void createDirectory() {
    try {
      Files.createDirectory(nodeDirectory, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
      Files.setPosixFilePermissions(nodeDirectory, PRIVATE_DIRECTORY); // exactly 0700, whatever the umask
      Files.createFile(logFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create " + nodeDirectory, e);
    }
    runner.account().handOver(nodeDirectory);
  }

  /** Runs initdb: superuser {@value #SUPERUSER}, trust on the Unix socket, SCRAM over TCP. */
  void initialize() {
    Path passwordFile = nodeDirectory.resolve("superuser.pw");
    try {
      Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(passwordFile, superuserPassword + "\n");
      runner.account().handOver(passwordFile);
      runner.run(name + " initdb", List.of(binaries.bin("initdb").toString(), "-D", dataDirectory().toString(),
          "-U", SUPERUSER, "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256",
          "-E", "UTF8", "--locale=C", "--no-sync"), logFile(), INITDB_TIMEOUT);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + passwordFile, e);
    } finally {
      try {
        Files.deleteIfExists(passwordFile);
      } catch (IOException e) {
        log.warn("Could not delete {}", passwordFile, e);
      }
    }
  }

  /** Stops the server whatever state it is in: fast, then immediate, then SIGKILL. Never throws. */
  void shutDown() {
    try {
      if (stoppedBy("fast") || stoppedBy("immediate")) {
        return;
      }
      log.warn("{} ignored fast and immediate shutdown; killing it", name);
    } catch (RuntimeException e) {
      log.warn("Could not stop {}; killing it", name, e);
    }
    try {
      kill9();
    } catch (RuntimeException e) {
      log.warn("Could not kill {}", name, e);
    }
  }

  private void stop(String mode) {
    if (!stoppedBy(mode)) {
      throw new PgClusterException(name + " did not stop (-m " + mode + ")\n" + LogTail.of(logFile()));
    }
  }

  private boolean stoppedBy(String mode) {
    if (suspended) {
      resume();
    }
    long pid = postmasterPid();
    if (pid <= 0 || !OsProcesses.isAlive(pid)) {
      return true;
    }
    int status = runner.exitStatus(name + " stop -m " + mode, List.of(pgCtl(), "stop", "-D",
        dataDirectory().toString(), "-m", mode, "-w", "-t", seconds(STOP_TIMEOUT), "-s"), logFile(),
        STOP_TIMEOUT.plus(PG_CTL_GRACE));
    if (status != 0 && isRunning()) {
      return false;
    }
    // pg_ctl returns once postmaster.pid is gone, which the postmaster removes just before it exits.
    Await.until(name + " postmaster " + pid + " to exit", STOP_TIMEOUT, () -> !OsProcesses.isAlive(pid),
        () -> LogTail.of(logFile()));
    return true;
  }

  private long requireRunning() {
    long pid = postmasterPid();
    if (pid <= 0 || !OsProcesses.isAlive(pid)) {
      throw new IllegalStateException(name + " is not running");
    }
    return pid;
  }

  /**
   * A killed postmaster may linger as an unreaped zombie, which PostgreSQL's own stale-lock checks (kill(pid, 0))
   * take for a running server; lock files naming a dead process are removed before starting.
   */
  private void removeStaleLockFiles() {
    for (Path lock : List.of(lockFile(), nodeDirectory.resolve(".s.PGSQL." + port + ".lock"))) {
      long pid = pidIn(lock);
      if (pid > 0 && !OsProcesses.isAlive(pid)) {
        try {
          Files.deleteIfExists(lock);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** The pid on the first line of a PostgreSQL lock file, or -1 when there is none. */
  private static long pidIn(Path lock) {
    try {
      return Long.parseLong(Files.readAllLines(lock).get(0).trim());
    } catch (NoSuchFileException | IndexOutOfBoundsException | NumberFormatException e) {
      // Absent, or caught while the postmaster is still writing it.
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path lockFile() {
    return dataDirectory().resolve("postmaster.pid");
  }

  private String pgCtl() {
    return binaries.bin("pg_ctl").toString();
  }

  private static String seconds(Duration duration) {
    return Long.toString(duration.toSeconds());
  }
}
